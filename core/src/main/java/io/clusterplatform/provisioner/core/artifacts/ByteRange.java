package io.clusterplatform.provisioner.core.artifacts;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a {@code Range} request header (RFC 9110 section 14) asks of a file of a known length. Only a
 * single byte range is served; a header that is malformed, in another unit or holds several ranges is
 * ignored and the whole file is sent, as the RFC allows.
 */
public sealed interface ByteRange {
    /** Send the whole file (no range, or one the server ignores). */
    record Whole() implements ByteRange {}

    /** Send bytes {@code first} to {@code last}, both inclusive. */
    record Part(long first, long last, long fileLength) implements ByteRange {
        public long length() {
            return last - first + 1;
        }

        /** The {@code Content-Range} header of the 206 answer. */
        public String contentRange() {
            return "bytes " + first + "-" + last + "/" + fileLength;
        }
    }

    /** No byte of the file is in the range: a 416 answer. */
    record Unsatisfiable(long fileLength) implements ByteRange {
        /** The {@code Content-Range} header of the 416 answer. */
        public String contentRange() {
            return "bytes */" + fileLength;
        }
    }

    Pattern SINGLE = Pattern.compile("bytes=[ \\t]*(\\d*)-(\\d*)[ \\t]*");

    /** What {@code header} (may be null) asks of a file of {@code fileLength} bytes. */
    static ByteRange of(String header, long fileLength) {
        if (header == null) {
            return new Whole();
        }
        Matcher m = SINGLE.matcher(header.strip());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return new Whole();
        }
        if (m.group(1).isEmpty()) {
            long suffix = digits(m.group(2));
            if (suffix == 0 || fileLength == 0) {
                return new Unsatisfiable(fileLength);
            }
            return new Part(Math.max(0, fileLength - suffix), fileLength - 1, fileLength);
        }
        long first = digits(m.group(1));
        long last = m.group(2).isEmpty() ? Long.MAX_VALUE : digits(m.group(2));
        if (last < first) {
            return new Whole(); // invalid per RFC 9110, so ignored
        }
        if (first >= fileLength) {
            return new Unsatisfiable(fileLength);
        }
        return new Part(first, Math.min(last, fileLength - 1), fileLength);
    }

    /** A decimal position; one too large for a long is beyond any file, so it counts as the largest. */
    private static long digits(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException tooLarge) {
            return Long.MAX_VALUE;
        }
    }
}
