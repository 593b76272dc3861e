package io.clusterplatform.provisioner.server.bootloaders;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The bootloader source and the builders, for the artifact job handlers to use. */
@Configuration(proxyBeanMethods = false)
class BootloadersConfig {

    @Bean
    BootloaderSource bootloaderSource(BootloaderSettings settings) {
        return SystemBootloaderSource.from(settings);
    }

    @Bean
    ToolRunner bootloaderToolRunner(BootloaderSettings settings) {
        return new ToolRunner(settings.toolTimeout());
    }

    @Bean
    IpxeBuild ipxeBuild(BootloaderSource source, ToolRunner bootloaderToolRunner) {
        return new IpxeBuild(source, bootloaderToolRunner);
    }

    @Bean
    GrubBuild grubBuild(BootloaderSource source, ToolRunner bootloaderToolRunner) {
        return new GrubBuild(source, bootloaderToolRunner);
    }

    @Bean
    SyslinuxBuild syslinuxBuild(BootloaderSource source) {
        return new SyslinuxBuild(source);
    }
}
