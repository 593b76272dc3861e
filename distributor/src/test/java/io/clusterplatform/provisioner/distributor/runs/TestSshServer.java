package io.clusterplatform.provisioner.distributor.runs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.sshd.common.channel.RequestHandler;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.shell.ProcessShellCommandFactory;

/**
 * A real SSH server in this process (Apache MINA SSHD) on 127.0.0.1 and a free port: host keys
 * generated in memory, one authorised client key, and exec commands run as real local processes, so
 * {@code sh -s} really runs the script on this machine.
 */
final class TestSshServer implements AutoCloseable {
    private final SshServer server;
    private final List<KeyPair> hostKeys;
    private final List<String> users = new CopyOnWriteArrayList<>();

    private TestSshServer(PublicKey authorized, List<KeyPair> hostKeys, Keepalives keepalives) throws IOException {
        this.hostKeys = hostKeys;
        server = SshServer.setUpDefaultServer();
        switch (keepalives) {
            case ANSWERED -> {}
            // Like OpenSSH: a global request it does not know gets SSH_MSG_REQUEST_FAILURE.
            case REFUSED -> server.setGlobalRequestHandlers(List.of());
            // Like a node that went away: the request is swallowed.
            case IGNORED ->
                server.setGlobalRequestHandlers(
                        List.of((connection, request, wantReply, buffer) -> RequestHandler.Result.Replied));
        }
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKeys));
        server.setPublickeyAuthenticator((user, key, session) -> {
            users.add(user);
            return KeyUtils.compareKeys(authorized, key);
        });
        server.setCommandFactory(ProcessShellCommandFactory.INSTANCE);
        server.start();
    }

    /** How the server treats the client's keepalive requests. */
    enum Keepalives {
        ANSWERED,
        REFUSED,
        IGNORED
    }

    /** A server that lets in the holder of the private half of {@code authorizedKeyLine}. */
    static TestSshServer start(String authorizedKeyLine, KeyPair... hostKeys) {
        return start(Keepalives.ANSWERED, authorizedKeyLine, hostKeys);
    }

    static TestSshServer start(Keepalives keepalives, String authorizedKeyLine, KeyPair... hostKeys) {
        try {
            return new TestSshServer(publicKey(authorizedKeyLine), List.of(hostKeys), keepalives);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static KeyPair generateHostKey(String keyType) {
        try {
            return KeyUtils.generateKeyPair(keyType, keyType.equals("ssh-rsa") ? 2048 : 256);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static PublicKey publicKey(String line) {
        try {
            return PublicKeyEntry.parsePublicKeyEntry(line.strip())
                    .resolvePublicKey(null, java.util.Map.of(), PublicKeyEntryResolver.FAILING);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The OpenSSH line of a key, as {@link ShellResult#hostKey()} gives it. */
    static String line(KeyPair pair) {
        return PublicKeyEntry.toString(pair.getPublic());
    }

    int port() {
        return server.getPort();
    }

    KeyPair hostKey(int index) {
        return hostKeys.get(index);
    }

    /** The user names clients tried to log in as. */
    List<String> users() {
        return users;
    }

    /** Drops every connection at once, as a node that goes down would. */
    void kill() {
        try {
            server.stop(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        kill();
    }
}
