package io.clusterplatform.provisioner.server.scriptruns;

import io.clusterplatform.provisioner.core.distributors.protocol.ScriptCommand;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.core.sshkeys.ParsedSshKey;
import io.clusterplatform.provisioner.core.sshkeys.SshKeys;
import io.clusterplatform.provisioner.server.distributors.Distributor;
import io.clusterplatform.provisioner.server.distributors.DistributorAgents;
import io.clusterplatform.provisioner.server.distributors.DistributorCommand;
import io.clusterplatform.provisioner.server.localnodes.Localnode;
import io.clusterplatform.provisioner.server.localnodes.LocalnodeStore;
import io.clusterplatform.provisioner.server.sshkeys.SshKey;
import io.clusterplatform.provisioner.server.sshkeys.SshKeyStore;
import io.clusterplatform.provisioner.server.storage.StorableText;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;

/**
 * Queues script runs on localnodes for the distributor of their artifactId: the one way in, for the
 * API ({@code PUT /api/localnodes/{id}/script}) and for other features (joining a mesh, say).
 */
@Service
public class ScriptRunQueue {
    public static final int MAX_SCRIPT = 256 * 1024;
    public static final int DEFAULT_TIMEOUT = 300;
    public static final int MAX_TIMEOUT = 3600;
    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");

    private final LocalnodeStore nodes;
    private final ScriptRunStore runs;
    private final SshKeyStore keys;
    private final DistributorAgents distributors;
    private final GivenKeys givenKeys;

    ScriptRunQueue(
            LocalnodeStore nodes,
            ScriptRunStore runs,
            SshKeyStore keys,
            DistributorAgents distributors,
            GivenKeys givenKeys) {
        this.nodes = nodes;
        this.runs = runs;
        this.keys = keys;
        this.distributors = distributors;
        this.givenKeys = givenKeys;
    }

    /**
     * Checks the request and queues the run; {@code privateKey}, {@code user} and {@code timeoutSeconds}
     * may be null (the artifact's newest private key, root, 300 s).
     */
    public ScriptRun queue(long nodeId, String script, String privateKey, String user, Integer timeoutSeconds) {
        if (script == null || script.isBlank()) {
            throw ProblemException.invalid("'script' is required: the shell script to run on the node");
        }
        if (script.length() > MAX_SCRIPT) {
            throw ProblemException.invalid("'script' is longer than " + MAX_SCRIPT + " characters");
        }
        StorableText.require("script", script);
        String login = user == null ? "root" : user;
        if (!USER.matcher(login).matches()) {
            throw ProblemException.invalid("'user' must be a login name like root or admin, got '" + login + "'");
        }
        int timeout = timeoutSeconds == null ? DEFAULT_TIMEOUT : timeoutSeconds;
        if (timeout < 1 || timeout > MAX_TIMEOUT) {
            throw ProblemException.invalid("'timeoutSeconds' must be 1 to " + MAX_TIMEOUT + ", got " + timeout);
        }
        Localnode node = nodes.get(nodeId);
        Long keyId = null;
        String given = null;
        if (privateKey != null && !privateKey.isBlank()) {
            ParsedSshKey parsed = SshKeys.parse(privateKey, true);
            given = parsed.text();
        } else {
            SshKey stored = keys.newestPrivateKeyOf(node.artifactId())
                    .orElseThrow(() -> ProblemException.invalid("no private key of artifactId '" + node.artifactId()
                            + "' in /api/sshkeys: add one (POST /api/sshkeys with \"private\": true) or send"
                            + " 'privateKey'"));
            keyId = stored.id();
        }
        Distributor distributor = distributors
                .serving(node.artifactId())
                .orElseThrow(() -> new ProblemException(
                        409,
                        "Conflict",
                        "no distributor of artifactId '" + node.artifactId() + "' is registered: a script runs"
                                + " through the distributor on the node's LAN (provisioner distributor)"));
        ScriptRun run = runs.create(nodeId, distributor.id(), login, node.ip(), script, keyId, timeout);
        if (given != null) {
            givenKeys.hold(run.id(), given);
        }
        DistributorCommand command;
        try {
            command = distributors.queue(distributor.id(), new ScriptCommand(run.id()));
        } catch (RuntimeException e) {
            givenKeys.forget(run.id());
            throw e;
        }
        runs.setCommand(run.id(), command.id());
        return run;
    }
}
