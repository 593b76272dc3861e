package io.clusterplatform.provisioner.distributor.mesh;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code provisioner mesh}: the node agent of the WireGuard mesh. */
@Command(
        name = "mesh",
        mixinStandardHelpOptions = true,
        description = "Joins this machine to a WireGuard mesh network and shows its peers.",
        subcommands = {MeshJoinCommand.class, MeshBridgeCommand.class, MeshRelayCommand.class, MeshStatusCommand.class})
public final class MeshCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new MeshCommand()).execute(args));
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }
}
