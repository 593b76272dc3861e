package io.clusterplatform.provisioner.distributor;

import com.fasterxml.jackson.databind.JsonNode;
import io.clusterplatform.provisioner.core.distributors.DnsmasqConfig;
import io.clusterplatform.provisioner.core.distributors.EfiAutoexec;
import io.clusterplatform.provisioner.core.distributors.PxeArchitecture;
import io.clusterplatform.provisioner.core.distributors.PxeBootloader;
import io.clusterplatform.provisioner.core.distributors.protocol.AgentCommand;
import io.clusterplatform.provisioner.core.distributors.protocol.Bootloader;
import io.clusterplatform.provisioner.core.distributors.protocol.CommandKind;
import io.clusterplatform.provisioner.core.distributors.protocol.CommandResult;
import io.clusterplatform.provisioner.core.distributors.protocol.DnsmasqConfigReport;
import io.clusterplatform.provisioner.core.distributors.protocol.ScriptCommand;
import io.clusterplatform.provisioner.core.distributors.protocol.StatusCommand;
import io.clusterplatform.provisioner.core.distributors.protocol.UpdateCommand;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.distributor.link.AgentState;
import io.clusterplatform.provisioner.distributor.link.ServerLink;
import io.clusterplatform.provisioner.distributor.link.StateFile;
import io.clusterplatform.provisioner.distributor.pxe.BootloaderDownloads;
import io.clusterplatform.provisioner.distributor.pxe.LanInterfaces;
import io.clusterplatform.provisioner.distributor.pxe.PxeService;
import io.clusterplatform.provisioner.distributor.runs.ScriptRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the server's commands. Each is idempotent, because a command the agent applied but could not
 * acknowledge comes again: {@code update} fetches the bootloaders (keeping those it already has),
 * renders the dnsmasq configuration and restarts a running dnsmasq with it; {@code status} starts or
 * stops dnsmasq; {@code script} takes a script run once and runs it on its own thread. The state is
 * saved before the command is acknowledged.
 */
final class CommandHandler {
    private static final Logger log = LoggerFactory.getLogger(CommandHandler.class);

    private final Path configFile;
    private final Path tftpRoot;
    private final StateFile stateFile;
    private final BootloaderDownloads downloads;
    private final PxeService pxe;
    private final ScriptRunner scripts;
    private AgentState state;

    CommandHandler(
            Path stateDir, StateFile stateFile, BootloaderDownloads downloads, PxeService pxe, ScriptRunner scripts)
            throws IOException {
        this.scripts = scripts;
        this.configFile = stateDir.resolve("dnsmasq.conf");
        this.tftpRoot = stateDir.resolve("tftp");
        this.stateFile = stateFile;
        this.downloads = downloads;
        this.pxe = pxe;
        this.state = stateFile.load();
    }

    /** At agent start: serve PXE at once with the last applied settings, if the service was on. */
    void resume() {
        if (!state.on() || state.settings() == null || !Files.isRegularFile(configFile)) {
            log.info("PXE service is off until the server says otherwise");
            return;
        }
        try {
            log.info("resuming the PXE service from the saved state: {}", pxe.start(configFile));
        } catch (IOException | RuntimeException e) {
            log.error("cannot resume the PXE service: {}", e.getMessage());
        }
    }

    CommandResult apply(long distributorId, ServerLink.Command command) {
        Optional<CommandKind> kind = CommandKind.ofWireName(command.kind());
        if (kind.isEmpty()) {
            return CommandResult.failed("this agent does not know the command '" + command.kind()
                    + "'; upgrade it to the server's version");
        }
        try {
            return switch (AgentCommand.fromFields(kind.get(), command.fields())) {
                case UpdateCommand update -> update(update, command.payload());
                case StatusCommand status -> status(status);
                case ScriptCommand script -> scripts.start(distributorId, script.runId());
            };
        } catch (ProblemException e) {
            return CommandResult.failed(e.getMessage());
        } catch (IOException | RuntimeException e) {
            log.error("command {} failed", command.id(), e);
            return CommandResult.failed(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private CommandResult update(UpdateCommand command, JsonNode payload) throws IOException {
        UpdateCommand settings = command.requireValid();
        String address = LanInterfaces.requireServes(settings.device(), settings.range());
        Files.createDirectories(tftpRoot);
        List<PxeBootloader> loaders = new ArrayList<>();
        StringBuilder report = new StringBuilder();
        for (Map.Entry<PxeArchitecture, Bootloader> source :
                settings.bootloaders().entrySet()) {
            BootloaderDownloads.Fetched fetched = downloads.fetch(source.getKey(), source.getValue());
            loaders.add(fetched.bootloader());
            report.append(fetched.report()).append('\n');
            if (source.getValue().scriptUrl() == null) {
                report.append(source.getKey().directory())
                        .append(": no script URL from the server, so iPXE clients are told nothing;"
                                + " the binary must embed its script\n");
            }
        }
        Path autoexec = tftpRoot.resolve(EfiAutoexec.FILE);
        Optional<String> autoexecScript = EfiAutoexec.render(loaders);
        if (autoexecScript.isPresent()) {
            StateFile.write(autoexec, autoexecScript.get(), "rw-r--r--");
            report.append(EfiAutoexec.FILE)
                    .append(": iPXE EFI binaries run it when they start and chain their script at once\n");
        } else {
            Files.deleteIfExists(autoexec);
        }
        String config =
                DnsmasqConfig.render(settings.artifactId(), settings.device(), settings.range(), tftpRoot, loaders);
        StateFile.write(configFile, config, "rw-r--r--");
        state = state.withSettings(payload);
        stateFile.save(state);
        report.append("proxyDHCP on ")
                .append(settings.device())
                .append(" (")
                .append(address)
                .append(") for ")
                .append(settings.range())
                .append('\n');
        if (state.on()) {
            report.append(pxe.start(configFile)).append('\n');
        } else {
            report.append("the PXE service is off: PUT /api/distributors/{id}/status {\"on\": true} starts it\n");
        }
        return CommandResult.done(report.toString(), new DnsmasqConfigReport(configFile.toString(), config));
    }

    private CommandResult status(StatusCommand command) throws IOException {
        if (command.on()) {
            if (state.settings() == null || !Files.isRegularFile(configFile)) {
                return CommandResult.failed("this distributor has no settings yet: PUT /api/distributors/{id} with"
                        + " ipxePxeUefiUrl, ipxePxeBiosUrl, device and range first");
            }
            String started = pxe.start(configFile);
            state = state.withOn(true);
            stateFile.save(state);
            return CommandResult.done(
                    started + "\n", new DnsmasqConfigReport(configFile.toString(), Files.readString(configFile)));
        }
        pxe.stop();
        state = state.withOn(false);
        stateFile.save(state);
        return CommandResult.done("dnsmasq stopped; the PXE service is off");
    }
}
