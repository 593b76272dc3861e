package io.clusterplatform.provisioner.core.sshkeys;

import static io.clusterplatform.provisioner.core.sshkeys.SshKeyProblems.invalid;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code -----BEGIN LABEL-----} ... {@code -----END LABEL-----} block of a PEM-style text: its
 * label, the RFC 1421 headers some encrypted keys carry ({@code Proc-Type}, {@code DEK-Info}), and
 * the decoded base64 body. Decoding forgives what people and copy-paste do to keys: indentation,
 * CRLF line ends, other line lengths and missing {@code =} padding.
 */
record ArmouredBlock(String label, Map<String, String> headers, byte[] data) {
    private static final Pattern BEGIN = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----");
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]*=*");

    ArmouredBlock {
        headers = Map.copyOf(headers);
    }

    /** Whether the text starts like a PEM-style block. */
    static boolean looksArmoured(String text) {
        return text.strip().startsWith("-----BEGIN ");
    }

    /** All blocks of the text, in order; a 400 problem if anything else is in it. */
    static List<ArmouredBlock> parseAll(String text) {
        List<String> lines = text.strip().lines().map(String::strip).toList();
        List<ArmouredBlock> blocks = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            if (lines.get(i).isEmpty()) {
                i++;
                continue;
            }
            Matcher begin = BEGIN.matcher(lines.get(i));
            if (!begin.matches()) {
                throw invalid(
                        blocks.isEmpty()
                                ? "the key must start with a '-----BEGIN ... -----' line"
                                : "unexpected text after '-----END "
                                        + blocks.getLast().label() + "-----'; store one key per entry");
            }
            String label = begin.group(1);
            String end = "-----END " + label + "-----";
            Map<String, String> headers = new LinkedHashMap<>();
            StringBuilder body = new StringBuilder();
            i++;
            while (i < lines.size() && !lines.get(i).equals(end)) {
                String line = lines.get(i);
                int colon = line.indexOf(':');
                if (body.isEmpty() && colon > 0) {
                    headers.put(
                            line.substring(0, colon).strip(),
                            line.substring(colon + 1).strip());
                } else {
                    body.append(line);
                }
                i++;
            }
            if (i == lines.size()) {
                throw invalid(
                        "the '-----BEGIN " + label + "-----' block has no '" + end + "' line; the key seems cut off");
            }
            i++;
            blocks.add(new ArmouredBlock(label, headers, decodeBase64(body.toString(), label)));
        }
        return blocks;
    }

    /**
     * Decodes base64 that may lack its {@code =} padding (the original API's example private key does) or
     * contain line breaks and spaces.
     */
    static byte[] decodeBase64(String encoded, String what) {
        String compact = encoded.replaceAll("\\s+", "");
        if (!BASE64.matcher(compact).matches()) {
            throw invalid("the " + what + " data is not base64: it may only hold A-Z, a-z, 0-9, '+', '/' and"
                    + " '=' at the end");
        }
        String unpadded = compact.replaceAll("=+$", "");
        if (unpadded.isEmpty()) {
            throw invalid("the " + what + " has no data");
        }
        if (unpadded.length() % 4 == 1) {
            throw invalid("the " + what + " data is cut short: its base64 length is impossible (a character"
                    + " is missing or extra)");
        }
        try {
            return Base64.getDecoder().decode(unpadded);
        } catch (IllegalArgumentException e) {
            throw invalid("the " + what + " data is not valid base64");
        }
    }

    /** This block in normalised form: padded base64 wrapped at {@code width} columns, no headers. */
    String encode(int width) {
        return encode(label, data, width);
    }

    static String encode(String label, byte[] data, int width) {
        String base64 = Base64.getEncoder().encodeToString(data);
        StringBuilder out = new StringBuilder("-----BEGIN ").append(label).append("-----\n");
        for (int start = 0; start < base64.length(); start += width) {
            out.append(base64, start, Math.min(base64.length(), start + width)).append('\n');
        }
        return out.append("-----END ").append(label).append("-----\n").toString();
    }
}
