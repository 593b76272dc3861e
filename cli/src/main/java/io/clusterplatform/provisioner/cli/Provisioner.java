package io.clusterplatform.provisioner.cli;

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
        subcommands = {ServerCommand.class, TokenCommand.class, CommandLine.HelpCommand.class})
public class Provisioner implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        int code = new CommandLine(new Provisioner()).execute(args);
        if (code != 0 || !ServerCommand.serverRunning()) {
            System.exit(code);
        }
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }
}
