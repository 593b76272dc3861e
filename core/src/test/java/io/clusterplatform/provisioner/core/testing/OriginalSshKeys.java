package io.clusterplatform.provisioner.core.testing;

/**
 * The SSH keys of the original API's "Add public SSH key" and "Add private SSH key" requests, exactly as
 * they are there. The private key's base64 lacks its final {@code =}, so ssh-keygen refuses it as
 * it is; with the padding it is the ECDSA key whose public half is {@link #PUBLIC_KEY}.
 */
public final class OriginalSshKeys {
    public static final String PUBLIC_KEY =
            "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBB69"
                    + "xaEXw3y8PZeV6mjkTfK8X3z/0GlWe5dzuWcccD8fVHFl6W+XZ6qN+a8h0RD6OcFbk1mYTyh8sV2KbyIFNBk="
                    + " pojntfx@pojntfx-x230-fedora\n";

    public static final String PRIVATE_KEY = """
            -----BEGIN OPENSSH PRIVATE KEY-----
            b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAaAAAABNlY2RzYS
            1zaGEyLW5pc3RwMjU2AAAACG5pc3RwMjU2AAAAQQQevcWhF8N8vD2Xlepo5E3yvF98/9Bp
            VnuXc7lnHHA/H1RxZelvl2eqjfmvIdEQ+jnBW5NZmE8ofLFdim8iBTQZAAAAuPZWcbr2Vn
            G6AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBB69xaEXw3y8PZeV
            6mjkTfK8X3z/0GlWe5dzuWcccD8fVHFl6W+XZ6qN+a8h0RD6OcFbk1mYTyh8sV2KbyIFNB
            kAAAAhAOUvaCmEoMgsNL6Hl2XliKnMSvVOhXYyQqjGds21VWkKAAAAG3Bvam50ZnhAcG9q
            bnRmeC14MjMwLWZlZG9yYQECAwQ
            -----END OPENSSH PRIVATE KEY-----
            """;

    /** What {@code ssh-keygen -l} prints for both keys (after padding the private one). */
    public static final String FINGERPRINT = "SHA256:8kS7RMlPWg4VkL7u7wbg1WX4DawoMxQMJ/nx3mL9YbI";

    private OriginalSshKeys() {}
}
