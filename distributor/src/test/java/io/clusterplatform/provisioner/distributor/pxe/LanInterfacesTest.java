package io.clusterplatform.provisioner.distributor.pxe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import org.junit.jupiter.api.Test;

/** Against this machine's loopback interface, which every Linux machine has as {@code lo}, 127.0.0.1/8. */
class LanInterfacesTest {
    @Test
    void findsTheAddressWhoseSubnetHoldsTheRange() {
        assertThat(LanInterfaces.requireServes("lo", "127.0.0.1")).isEqualTo("127.0.0.1/8");
        assertThat(LanInterfaces.requireServes("lo", "127.42.0.9")).isEqualTo("127.0.0.1/8");
    }

    @Test
    void namesTheInterfacesWhenTheDeviceDoesNotExist() {
        assertThatThrownBy(() -> LanInterfaces.requireServes("nosuch0", "127.0.0.1"))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("device 'nosuch0' does not exist on this distributor")
                .hasMessageContaining("lo");
    }

    @Test
    void refusesARangeOutsideTheDevicesSubnets() {
        assertThatThrownBy(() -> LanInterfaces.requireServes("lo", "192.168.178.1"))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("range '192.168.178.1' is not in a subnet of device 'lo' (127.0.0.1/8)");
    }
}
