package io.clusterplatform.provisioner.core.kickstarts;

import java.security.SecureRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.codec.digest.Sha2Crypt;

/**
 * Keeps kickstart passwords out of reach of callers without a token. Booting installers fetch their
 * kickstart without credentials, so the copy they get has every {@code rootpw --plaintext PW} and
 * {@code user ... --password=PW --plaintext} turned into a SHA-512 crypt hash ({@code --iscrypted}),
 * which Anaconda accepts just the same. Operators with a token get the text as they stored it.
 */
public final class KickstartPasswords {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SALT_CHARS = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /** {@code rootpw [options] PASSWORD} where the options include --plaintext, or none says --iscrypted. */
    private static final Pattern ROOTPW = Pattern.compile("(?m)^(\\s*rootpw\\b)([^\\n]*)$");
    /** {@code user ... --password=PW ... --plaintext} (or --password PW). */
    private static final Pattern USER = Pattern.compile("(?m)^(\\s*user\\b)([^\\n]*)$");

    private static final Pattern USER_PASSWORD = Pattern.compile("--password(?:=|\\s+)(\"[^\"]*\"|\\S+)");

    private KickstartPasswords() {}

    /** The text with every plaintext password replaced by its crypt hash. */
    public static String hidePlaintextPasswords(String kickstart) {
        String result = replaceLines(ROOTPW, kickstart, KickstartPasswords::cryptRootpw);
        return replaceLines(USER, result, KickstartPasswords::cryptUser);
    }

    /** Whether the text holds a password that would be hidden. */
    public static boolean hasPlaintextPassword(String kickstart) {
        return !hidePlaintextPasswords(kickstart).equals(kickstart);
    }

    private interface LineRewriter {
        String rewrite(String keyword, String rest);
    }

    private static String replaceLines(Pattern pattern, String text, LineRewriter rewriter) {
        Matcher m = pattern.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(rewriter.rewrite(m.group(1), m.group(2))));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String cryptRootpw(String keyword, String rest) {
        if (rest.contains("--iscrypted") || rest.contains("--lock") && !rest.contains("--plaintext")) {
            return keyword + rest;
        }
        String trimmed = rest.stripTrailing();
        String options = trimmed.replace("--plaintext", "").trim();
        // The password is the last word; everything before it is options.
        int cut = options.lastIndexOf(' ');
        String password = cut < 0 ? options : options.substring(cut + 1);
        String otherOptions = cut < 0 ? "" : options.substring(0, cut).trim();
        if (password.isEmpty() || password.startsWith("--")) {
            return keyword + rest;
        }
        String crypted = crypt(unquote(password));
        return keyword + " --iscrypted " + (otherOptions.isEmpty() ? "" : otherOptions + " ") + crypted;
    }

    private static String cryptUser(String keyword, String rest) {
        if (rest.contains("--iscrypted")) {
            return keyword + rest;
        }
        Matcher m = USER_PASSWORD.matcher(rest);
        if (!m.find()) {
            return keyword + rest;
        }
        String crypted = crypt(unquote(m.group(1)));
        String replaced = rest.substring(0, m.start()) + "--password=" + crypted + rest.substring(m.end());
        return keyword + replaced.replace("--plaintext", "--iscrypted");
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1)
                : value;
    }

    private static String crypt(String password) {
        StringBuilder salt = new StringBuilder("$6$");
        for (int i = 0; i < 16; i++) {
            salt.append(SALT_CHARS.charAt(RANDOM.nextInt(SALT_CHARS.length())));
        }
        return Sha2Crypt.sha512Crypt(password.getBytes(java.nio.charset.StandardCharsets.UTF_8), salt.toString());
    }
}
