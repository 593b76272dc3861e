package io.clusterplatform.provisioner.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that talks to the API: server and token options, and API errors as one line with exit code 1. */
abstract class ApiCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ApiOptions api;

    @Override
    public Integer call() {
        try {
            return execute(api.client(), spec.commandLine().getOut());
        } catch (ApiClient.ApiException e) {
            spec.commandLine().getOut().flush();
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return 1;
        }
    }

    /** Runs the command; its exit code is 0 unless a command says otherwise. */
    int execute(ApiClient client, PrintWriter out) {
        run(client, out);
        return 0;
    }

    void run(ApiClient client, PrintWriter out) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " overrides execute");
    }
}
