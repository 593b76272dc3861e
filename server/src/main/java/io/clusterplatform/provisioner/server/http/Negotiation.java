package io.clusterplatform.provisioner.server.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/** Chooses between raw text and JSON for endpoints that booting hosts and people both read. */
public final class Negotiation {
    public static final MediaType TEXT_UTF8 = new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8);

    private Negotiation() {}

    /**
     * JSON only when the client asks for it explicitly and prefers it to text: iPXE, curl and
     * Anaconda send no Accept or {@code *}{@code /*} and get text.
     */
    public static boolean wantsJson(String accept) {
        if (accept == null || accept.isBlank()) {
            return false;
        }
        List<MediaType> types;
        try {
            types = MediaType.parseMediaTypes(accept);
        } catch (InvalidMediaTypeException e) {
            return false;
        }
        types = new java.util.ArrayList<>(types);
        types.sort(
                java.util.Comparator.comparingDouble(MediaType::getQualityValue).reversed());
        for (MediaType type : types) {
            if (type.isWildcardType()) {
                continue;
            }
            if (MediaType.APPLICATION_JSON.isCompatibleWith(type)
                    || type.getSubtype().endsWith("+json")) {
                return true;
            }
            if (type.getType().equals("text")) {
                return false;
            }
        }
        return false;
    }
}
