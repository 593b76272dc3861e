package io.clusterplatform.provisioner.cli;

import io.clusterplatform.provisioner.distributor.DistributorAgentCommand;
import io.clusterplatform.provisioner.distributor.mesh.MeshCommand;
import java.io.Console;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code provisioner} command: lists its subcommands when given none. */
@Command(
        name = "provisioner",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Cluster Platform Provisioner: nodes as a service.",
        subcommands = {
            ServerCommand.class,
            DistributorAgentCommand.class,
            TokenCommand.class,
            BuildCommand.class,
            NodesCommand.class,
            MeshCommand.class,
            CommandLine.HelpCommand.class
        })
public class Provisioner implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        BuildCommand.terminal = interactive();
        int code = new CommandLine(new Provisioner()).execute(args);
        if (code != 0 || !ServerCommand.serverRunning()) {
            System.exit(code);
        }
    }

    /** Whether the console is a terminal ({@code Console.isTerminal()} where the JDK has it, 22 and later). */
    static boolean interactive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }
}
