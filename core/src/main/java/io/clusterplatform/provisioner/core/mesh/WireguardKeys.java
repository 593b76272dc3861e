package io.clusterplatform.provisioner.core.mesh;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * WireGuard public keys as {@code wg pubkey} prints them: standard base64 of 32 bytes, 44
 * characters ending in '='. Hosts generate their key pair themselves; the server only ever sees the
 * public key.
 */
public final class WireguardKeys {
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=");

    private WireguardKeys() {}

    /** Returns the key if it is one; otherwise a 400 naming {@code field}. */
    public static String requirePublicKey(String field, String value) {
        if (value == null || value.isBlank()) {
            throw ProblemException.invalid("'" + field + "' is required: the host's WireGuard public key"
                    + " (wg genkey | tee private.key | wg pubkey)");
        }
        if (!SHAPE.matcher(value).matches()) {
            throw ProblemException.invalid("'" + field + "' must be a WireGuard public key: 44 characters of"
                    + " base64 encoding 32 bytes, as wg pubkey prints it; got '" + shorten(value) + "'");
        }
        byte[] key = Base64.getDecoder().decode(value);
        boolean allZero = true;
        for (byte b : key) {
            allZero &= b == 0;
        }
        if (allZero) {
            throw ProblemException.invalid("'" + field + "' is the all-zero key, which WireGuard refuses:"
                    + " generate a key pair with wg genkey");
        }
        return value;
    }

    private static String shorten(String value) {
        return value.length() <= 60 ? value : value.substring(0, 60) + "...";
    }
}
