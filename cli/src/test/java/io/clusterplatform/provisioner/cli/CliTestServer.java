package io.clusterplatform.provisioner.cli;

import io.clusterplatform.provisioner.server.ServerApplication;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;

/** A real server for the CLI tests, and a way to run the provisioner command with captured output. */
final class CliTestServer implements AutoCloseable {
    static final String TOKEN = "cli-test-operator-token-0123456789";

    /** What one run of the command did. */
    record Run(int exitCode, String out, String err) {}

    private final ConfigurableApplicationContext context;

    private CliTestServer(ConfigurableApplicationContext context) {
        this.context = context;
    }

    static CliTestServer start(Path dataDir) {
        return new CliTestServer(new SpringApplicationBuilder(ServerApplication.class)
                .run("--server.port=0", "--provisioner.data-dir=" + dataDir, "--provisioner.bootstrap-token=" + TOKEN));
    }

    String url() {
        return "http://127.0.0.1:"
                + ((ServletWebServerApplicationContext) context).getWebServer().getPort();
    }

    /** Runs {@code provisioner args...} in this JVM, as the command line would. */
    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandLine(new Provisioner())
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Override
    public void close() {
        context.close();
    }
}
