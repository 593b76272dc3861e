package io.clusterplatform.provisioner.distributor.runs;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.core.sshkeys.ParsedSshKey;
import io.clusterplatform.provisioner.core.sshkeys.SshKeys;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.future.AuthFuture;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.common.future.WaitableFuture;
import org.apache.sshd.common.kex.KexProposalOption;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.core.CoreModuleProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link NodeShell} over SSH with Apache MINA SSHD's client. The script goes to the node as the
 * standard input of {@code sh -s}, so no quoting of the login shell can change it. The private key
 * is read in memory; the node's host key is checked against the pinned one (compared as keys, and
 * asked for first, so that a node with several host keys shows the pinned one) or, with none pinned,
 * accepted and returned for pinning. Nothing is read from or written to disk: no
 * {@code ~/.ssh/config}, {@code known_hosts} or key files.
 */
public final class SshNodeShell implements NodeShell {
    /**
     * How long each step outside the script may take.
     *
     * @param connect for the node to accept the TCP connection
     * @param handshake for key exchange and login once connected, and again for the node to start the
     *     command
     * @param keepaliveInterval how often to ask a silent node whether it is still there while a script
     *     runs
     * @param keepaliveMisses unanswered keepalives after which the node counts as gone
     */
    record Limits(Duration connect, Duration handshake, Duration keepaliveInterval, int keepaliveMisses) {
        static final Limits DEFAULT =
                new Limits(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(15), 4);
    }

    /** What to run on the node; the script arrives on its standard input. */
    static final String COMMAND = "sh -s";
    /** What the operator does when a node was reinstalled and shows a new host key. */
    static final String FORGET_HINT =
            "if the node was reinstalled, forget its pinned key (DELETE /api/localnodes/{id}/hostkey) and run again";

    private static final Logger log = LoggerFactory.getLogger(SshNodeShell.class);
    private static final AttributeRepository.AttributeKey<RunState> RUN_STATE =
            new AttributeRepository.AttributeKey<>();

    private final Limits limits;
    private final SshClient client;

    public SshNodeShell() {
        this(Limits.DEFAULT);
    }

    SshNodeShell(Limits limits) {
        this.limits = limits;
        client = SshClient.setUpDefaultClient();
        // Nothing from this machine's ~/.ssh: no config entries (which could name other hosts, users
        // or key files), no default identities, no password prompts; only the key of each run.
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
        client.setServerKeyVerifier(SshNodeShell::verifyServerKey);
        client.addSessionListener(new SessionListener() {
            @Override
            public void sessionNegotiationOptionsCreated(Session session, Map<KexProposalOption, String> proposal) {
                RunState state = stateOf(session);
                if (state != null) {
                    proposal.computeIfPresent(KexProposalOption.SERVERKEYS, (option, offered) -> state.prefer(offered));
                }
            }

            @Override
            public void sessionException(Session session, Throwable error) {
                RunState state = stateOf(session);
                if (state != null) {
                    state.sessionError(error);
                }
            }
        });
        // Our own timeout ends a run; a script may be silent for longer than MINA's idle default.
        CoreModuleProperties.IDLE_TIMEOUT.set(client, Duration.ZERO);
        // A node that goes away while a script runs is noticed before the script's timeout. OpenSSH's
        // own client asks this; servers answer it, if only with a failure, which counts as an answer.
        CoreModuleProperties.HEARTBEAT_REQUEST.set(client, "keepalive@openssh.com");
        CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, limits.keepaliveInterval());
        CoreModuleProperties.HEARTBEAT_REPLY_WAIT.set(client, limits.keepaliveInterval());
        CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(client, limits.keepaliveMisses());
        client.start();
    }

    @Override
    public ShellResult run(SshTarget target, String script, Duration timeout, OutputSink sink) {
        String address = target.address();
        KeyPair identity;
        PublicKey pinned;
        try {
            identity = readPrivateKey(target.privateKey());
            pinned = readPinnedHostKey(target.pinnedHostKey(), address);
        } catch (RunFailure e) {
            return ShellResult.failed(null, e.getMessage());
        }
        RunState state = new RunState(address, pinned);
        ClientSession session = null;
        try {
            session = connect(target, state);
            logIn(session, target, identity, state);
            return execute(session, script, timeout, sink, state);
        } catch (RunFailure e) {
            return ShellResult.failed(state.presentedLine(), e.getMessage());
        } finally {
            if (session != null) {
                session.close(true);
            }
        }
    }

    @Override
    public void close() {
        client.stop();
    }

    private ClientSession connect(SshTarget target, RunState state) throws RunFailure {
        String address = target.address();
        ConnectFuture future;
        try {
            future = client.connect(
                    target.user(),
                    target.host(),
                    target.port(),
                    AttributeRepository.ofKeyValuePair(RUN_STATE, state),
                    null);
        } catch (IOException | RuntimeException e) {
            throw new RunFailure(cannotConnect(address, e));
        }
        if (!await(future, limits.connect())) {
            future.cancel();
            throw new RunFailure("cannot connect to " + address + ": no answer within " + seconds(limits.connect())
                    + "; check the address and that the node is up");
        }
        if (!future.isConnected()) {
            throw new RunFailure(cannotConnect(address, future.getException()));
        }
        return future.getSession();
    }

    private void logIn(ClientSession session, SshTarget target, KeyPair identity, RunState state) throws RunFailure {
        session.addPublicKeyIdentity(identity);
        AuthFuture auth;
        try {
            auth = session.auth();
        } catch (IOException e) {
            throw handshakeFailure(target.address(), state, e);
        }
        if (!await(auth, limits.handshake())) {
            auth.cancel();
            if (state.mismatch() != null) {
                throw new RunFailure(state.mismatch());
            }
            throw new RunFailure(
                    state.presentedLine() == null
                            ? target.address()
                                    + " accepted the connection but did not complete the SSH handshake within "
                                    + seconds(limits.handshake()) + "; is an SSH server listening on that port?"
                            : target.address() + " did not complete the SSH login within "
                                    + seconds(limits.handshake()));
        }
        if (auth.isSuccess()) {
            return;
        }
        if (state.mismatch() != null) {
            throw new RunFailure(state.mismatch());
        }
        if (session.isOpen() && state.presentedLine() != null) {
            // Key exchange passed and the server answered: it did not take our key.
            throw new RunFailure(target.address() + " refused the key "
                    + KeyUtils.getFingerPrint(BuiltinDigests.sha256, identity.getPublic()) + " for user "
                    + target.user() + "; add its public half to ~" + target.user()
                    + "/.ssh/authorized_keys on the node");
        }
        throw handshakeFailure(target.address(), state, auth.getException());
    }

    private ShellResult execute(ClientSession session, String script, Duration timeout, OutputSink sink, RunState state)
            throws RunFailure {
        Utf8Chunks stdout = new Utf8Chunks(sink::stdout);
        Utf8Chunks stderr = new Utf8Chunks(sink::stderr);
        ChannelExec channel;
        try {
            channel = session.createExecChannel(COMMAND);
            channel.setIn(new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)));
            channel.setOut(stdout);
            channel.setErr(stderr);
            channel.open().verify(limits.handshake());
        } catch (IOException | RuntimeException e) {
            throw new RunFailure("cannot start '" + COMMAND + "' on " + state.address() + ": " + describe(e));
        }
        Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout);
        if (events.contains(ClientChannelEvent.TIMEOUT) && !events.contains(ClientChannelEvent.CLOSED)) {
            stop(channel);
            stdout.close();
            stderr.close();
            throw new RunFailure("the script did not finish within " + seconds(timeout) + "; it was stopped");
        }
        stdout.close();
        stderr.close();
        Integer exitStatus = channel.getExitStatus();
        String exitSignal = channel.getExitSignal();
        if (exitStatus != null) {
            return ShellResult.exited(exitStatus, state.presentedLine());
        }
        if (exitSignal != null) {
            throw new RunFailure("the script was ended by signal " + exitSignal + " on " + state.address());
        }
        throw new RunFailure(connectionLost(state));
    }

    private String connectionLost(RunState state) {
        Throwable error = state.sessionError();
        if (error != null && String.valueOf(error.getMessage()).contains("heartbeat")) {
            // MINA closes the session after keepaliveMisses unanswered keepalives.
            return state.address() + " stopped answering while the script ran (" + limits.keepaliveMisses()
                    + " keepalives " + seconds(limits.keepaliveInterval()) + " apart got no answer); the node"
                    + " may have gone down or lost its network";
        }
        if (error != null) {
            return "the connection to " + state.address() + " broke while the script ran: " + describe(error);
        }
        return "the connection to " + state.address() + " ended before the script reported how it ended (did"
                + " the script reboot the node or end its SSH server, or did the node go down?)";
    }

    /**
     * Asks the node to kill the script (RFC 4254's "signal" request, for servers that act on it), then
     * closes the channel, which ends the script on servers that end a command with its channel.
     */
    private static void stop(ChannelExec channel) {
        try {
            Session session = channel.getSession();
            Buffer request = session.createBuffer(SshConstants.SSH_MSG_CHANNEL_REQUEST, 32);
            request.putUInt(channel.getRecipient());
            request.putString("signal");
            request.putBoolean(false);
            request.putString("KILL");
            channel.writePacket(request);
        } catch (IOException | RuntimeException e) {
            log.debug("cannot send the signal request: {}", e.toString());
        }
        channel.close(true);
    }

    private static boolean await(WaitableFuture future, Duration timeout) throws RunFailure {
        try {
            return future.await(timeout);
        } catch (IOException e) {
            // MINA reports an interrupt as an InterruptedIOException
            Thread.currentThread().interrupt();
            throw new RunFailure("the run was interrupted (the agent is stopping)");
        }
    }

    private static KeyPair readPrivateKey(String text) throws RunFailure {
        ParsedSshKey parsed;
        try {
            // Our own checks first: they repair what copying does to keys (missing base64 padding, other
            // line lengths) and say in words what is wrong, never quoting the key.
            parsed = SshKeys.parse(text);
        } catch (ProblemException e) {
            throw new RunFailure(
                    "the private key cannot be read: " + e.getMessage().replaceFirst("^invalid SSH key: ", ""));
        }
        if (!parsed.isPrivate()) {
            throw new RunFailure("the private key cannot be read: it is a public key; send the private key");
        }
        try {
            Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(
                    null,
                    NamedResource.ofName("private key"),
                    new ByteArrayInputStream(parsed.text().getBytes(StandardCharsets.US_ASCII)),
                    null);
            Iterator<KeyPair> iterator = pairs == null ? null : pairs.iterator();
            if (iterator == null || !iterator.hasNext()) {
                throw new RunFailure("the private key cannot be read: no key found in the text");
            }
            return iterator.next();
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            // Only the kind of fault: neither the exception nor its message goes anywhere, in case either
            // quotes key material.
            throw new RunFailure(
                    "the private key cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static PublicKey readPinnedHostKey(String line, String address) throws RunFailure {
        if (line == null) {
            return null;
        }
        try {
            return PublicKeyEntry.parsePublicKeyEntry(line.strip())
                    .resolvePublicKey(null, Map.of(), PublicKeyEntryResolver.FAILING);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new RunFailure("the pinned host key of " + address + " cannot be read (" + describe(e)
                    + "); forget it (DELETE /api/localnodes/{id}/hostkey) and run again to pin the key the node"
                    + " presents");
        }
    }

    private static boolean verifyServerKey(ClientSession session, SocketAddress remote, PublicKey key) {
        RunState state = stateOf(session);
        // A session this class did not open (there are none) would have no state: refuse it.
        return state != null && state.verify(key);
    }

    private static RunState stateOf(Session session) {
        if (session instanceof ClientSession client && client.getConnectionContext() != null) {
            return client.getConnectionContext().getAttribute(RUN_STATE);
        }
        return null;
    }

    private static RunFailure handshakeFailure(String address, RunState state, Throwable e) {
        if (state.mismatch() != null) {
            return new RunFailure(state.mismatch());
        }
        return new RunFailure("the SSH handshake with " + address + " failed: " + describe(e));
    }

    private String cannotConnect(String address, Throwable e) {
        Throwable cause = rootCause(e);
        String reason = switch (cause) {
            case ConnectException c ->
                "connection refused; check that the node is up and its SSH server listens on that port";
            case NoRouteToHostException n -> "no route to the host; check the address and the network";
            case UnknownHostException u -> "unknown host; check the address";
            case UnresolvedAddressException u -> "unknown host; check the address";
            case SocketTimeoutException t ->
                "no answer within " + seconds(limits.connect()) + "; check the address and that the node is up";
            default -> describe(cause);
        };
        return "cannot connect to " + address + ": " + reason;
    }

    private static String describe(Throwable e) {
        if (e == null) {
            return "unknown error";
        }
        Throwable cause = rootCause(e);
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** {@code 300 s}, or {@code 1500 ms} when not a whole number of seconds. */
    static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    /**
     * What one run learned about its session, written from MINA's threads: the host key the node
     * presented and whether it is the pinned one, and why the session broke.
     */
    private static final class RunState {
        private final String address;
        private final PublicKey pinned;
        private volatile PublicKey presented;
        private volatile String mismatch;
        private volatile Throwable sessionError;

        RunState(String address, PublicKey pinned) {
            this.address = address;
            this.pinned = pinned;
        }

        String address() {
            return address;
        }

        boolean verify(PublicKey key) {
            presented = key;
            if (pinned == null || KeyUtils.compareKeys(pinned, key)) {
                return true;
            }
            mismatch = "the host key of " + address + " changed: pinned "
                    + KeyUtils.getFingerPrint(BuiltinDigests.sha256, pinned) + ", offered "
                    + KeyUtils.getFingerPrint(BuiltinDigests.sha256, key) + "; " + FORGET_HINT;
            return false;
        }

        /**
         * The host key algorithms of our proposal with those of the pinned key's type first: a node
         * with several host keys then shows the pinned one rather than another of its keys.
         */
        String prefer(String offered) {
            if (pinned == null || offered == null) {
                return offered;
            }
            List<String> equivalent = KeyUtils.getAllEquivalentKeyTypes(KeyUtils.getKeyType(pinned));
            List<String> algorithms = List.of(offered.split(","));
            Set<String> ordered = new LinkedHashSet<>();
            for (String algorithm : algorithms) {
                if (equivalent.contains(algorithm)) {
                    ordered.add(algorithm);
                }
            }
            ordered.addAll(algorithms);
            return String.join(",", new ArrayList<>(ordered));
        }

        String presentedLine() {
            PublicKey key = presented;
            return key == null ? null : PublicKeyEntry.toString(key);
        }

        String mismatch() {
            return mismatch;
        }

        void sessionError(Throwable error) {
            sessionError = error;
        }

        Throwable sessionError() {
            return sessionError;
        }
    }

    /** Ends a run with a message for the operator. */
    private static final class RunFailure extends Exception {
        RunFailure(String message) {
            super(message, null, false, false);
        }
    }
}
