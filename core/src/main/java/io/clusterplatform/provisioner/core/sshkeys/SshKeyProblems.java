package io.clusterplatform.provisioner.core.sshkeys;

import io.clusterplatform.provisioner.core.problems.ProblemException;

/**
 * The 400 problems of SSH key checking, in one place so that every message starts the same way and
 * none of them quotes key material.
 */
final class SshKeyProblems {
    /** How to remove a passphrase; the server must be able to use stored keys without one. */
    static final String REMOVE_PASSPHRASE = "the server has to use stored keys without a passphrase: remove it"
            + " with 'ssh-keygen -p -N \"\" -f <keyfile>' (that rewrites the file in place) and send the key again";

    private SshKeyProblems() {}

    static ProblemException invalid(String detail) {
        return ProblemException.invalid("invalid SSH key: " + detail);
    }

    static ProblemException encrypted() {
        return ProblemException.invalid("the private key is encrypted with a passphrase; " + REMOVE_PASSPHRASE);
    }
}
