package io.clusterplatform.provisioner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code provisioner token create|list|revoke}: operator API tokens. */
@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        description = "Manage operator API tokens.",
        subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
class TokenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a token and print it once.")
    static class Create extends ApiCommand {
        @Option(names = "--name", required = true, description = "What the token is for, e.g. 'ci' or 'alice'")
        String name;

        @Override
        void run(ApiClient client, PrintWriter out) {
            JsonNode created = client.post("/api/tokens", Map.of("name", name));
            out.println(created.get("token").asText());
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List tokens (never the tokens themselves).")
    static class ListTokens extends ApiCommand {
        @Override
        void run(ApiClient client, PrintWriter out) {
            JsonNode tokens = client.get("/api/tokens");
            out.printf("%-5s %-14s %-24s %-28s %s%n", "ID", "PREFIX", "NAME", "CREATED", "STATE");
            for (JsonNode token : tokens) {
                out.printf(
                        "%-5s %-14s %-24s %-28s %s%n",
                        token.get("id").asText(),
                        token.get("prefix").asText(),
                        token.get("name").asText(),
                        token.get("createdAt").asText(),
                        token.get("revokedAt").isNull()
                                ? "active"
                                : "revoked " + token.get("revokedAt").asText());
            }
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token by id.")
    static class Revoke extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "The token's id, from 'provisioner token list'")
        long id;

        @Override
        void run(ApiClient client, PrintWriter out) {
            JsonNode token = client.delete("/api/tokens/" + id);
            out.println("revoked token " + token.get("id").asText() + " ("
                    + token.get("prefix").asText() + ")");
        }
    }
}
