package io.clusterplatform.provisioner.distributor.runs;

/**
 * How a script run ended.
 *
 * @param exitCode the script's exit code; null when it did not run to its end
 * @param hostKey the host key the node presented, as one OpenSSH line ({@code ssh-ed25519 AAAA...});
 *     null when the connection ended before the node showed it
 * @param error why the script did not run to its end, in words for the operator; null when it did
 *     (whatever its exit code)
 */
public record ShellResult(Integer exitCode, String hostKey, String error) {
    static ShellResult exited(int exitCode, String hostKey) {
        return new ShellResult(exitCode, hostKey, null);
    }

    static ShellResult failed(String hostKey, String error) {
        return new ShellResult(null, hostKey, error);
    }

    /** Whether the script ran to its end and exited with 0. */
    boolean succeeded() {
        return error == null && exitCode != null && exitCode == 0;
    }
}
