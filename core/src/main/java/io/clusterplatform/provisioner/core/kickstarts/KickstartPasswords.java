package io.clusterplatform.provisioner.core.kickstarts;

import io.clusterplatform.provisioner.core.kickstarts.KickstartWords.UnsplittableLine;
import io.clusterplatform.provisioner.core.kickstarts.KickstartWords.Word;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.apache.commons.codec.digest.Sha2Crypt;

/**
 * Keeps kickstart passwords out of reach of callers without a token. Booting installers fetch their
 * kickstart without credentials, so the copy they get has every plaintext password replaced by a
 * hash Anaconda installs just the same. Operators with a token get the text as they stored it.
 *
 * <p>The commands are read the way pykickstart reads them ({@link KickstartWords}: shell-like
 * quoting, {@code #} comments; lines inside {@code %pre}, {@code %post}, {@code %packages} and the
 * other sections up to {@code %end} are scripts, not commands, and are left alone). The commands
 * that take a password, and what becomes of them:
 *
 * <ul>
 *   <li>{@code rootpw [--plaintext] [--lock] [--allow-ssh] PASSWORD}: {@code rootpw --iscrypted
 *       [options] $6$...} (SHA-512 crypt);
 *   <li>{@code sshpw --username=NAME [--plaintext] [--lock] PASSWORD}: {@code sshpw --iscrypted
 *       --username=NAME [options] $6$...}; with {@code --sshkey} the word is a public key, kept;
 *   <li>{@code user ... --password=PASSWORD [--plaintext]} (or {@code --password PASSWORD}): the
 *       password becomes {@code $6$...} and {@code --plaintext} becomes {@code --iscrypted} (added
 *       when neither was given);
 *   <li>{@code bootloader ... --password=PASSWORD} (GRUB2's password; there is no other command for
 *       it): {@code --iscrypted --password=grub.pbkdf2.sha512.10000.SALT.HASH}, the form
 *       {@code grub2-mkpasswd-pbkdf2} writes and GRUB2 checks ({@code --md5pass} is a hash already).
 * </ul>
 *
 * A password that is already {@code --iscrypted} (the last of {@code --iscrypted} and
 * {@code --plaintext} wins, as in pykickstart) is kept. A kickstart in which a password cannot be
 * placed ({@link #unplaceablePasswords}) is refused when stored, since serving it could leak part of
 * the password: a password command line with an unclosed quote or a trailing backslash, {@code
 * rootpw} or {@code sshpw} with more than one password word (quote a password with spaces), and
 * {@code --password} with no value.
 */
public final class KickstartPasswords {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SALT_CHARS = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final int GRUB_PBKDF2_ITERATIONS = 10_000;
    private static final int GRUB_PBKDF2_BYTES = 64;
    /** Section headers' directives that are one line and open no section. */
    private static final Set<String> ONE_LINE_DIRECTIVES = Set.of("%include", "%ksappend");
    /** The options that decide where a password is and whether it is plain; abbreviations of them are refused. */
    private static final List<String> PASSWORD_OPTIONS =
            List.of("--password", "--plaintext", "--iscrypted", "--sshkey");

    private KickstartPasswords() {}

    /** A line whose password cannot be told apart, by line number (from 1) and why. */
    public record UnplaceablePassword(int line, String command, String reason) {
        public String describe() {
            return "line " + line + " (" + command + "): " + reason;
        }
    }

    /** The text with every plaintext password replaced by its hash. */
    public static String hidePlaintextPasswords(String kickstart) {
        StringBuilder out = new StringBuilder(kickstart.length());
        forEachCommandLine(kickstart, new LineVisitor() {
            @Override
            public void other(String line) {
                out.append(line);
            }

            @Override
            public void passwordCommand(int number, String line, String command, List<Word> words) {
                Optional<String> problem = problem(command, words);
                if (problem.isPresent()) {
                    unsplittable(number, line, command, problem.get());
                } else {
                    // what follows the last word is a comment ("rootpw Ab#cd": the password is Ab, and
                    // #cd may be the rest of what the operator meant): a rewritten line drops it
                    out.append(rewrite(line, command, words)
                            .map(rewritten -> withoutComment(rewritten))
                            .orElse(line));
                }
            }

            @Override
            public void unsplittable(int number, String line, String command, String reason) {
                // Stored kickstarts are checked first (unplaceablePasswords); one stored before that
                // check existed loses the whole line rather than leak a part of its password.
                out.append("# (")
                        .append(command)
                        .append(" line removed: ")
                        .append(reason)
                        .append(')');
                out.append(line.endsWith("\n") ? "\n" : "");
            }
        });
        return out.toString();
    }

    private static String withoutComment(String rewritten) {
        int contentEnd = rewritten.length();
        while (contentEnd > 0 && isLineBreak(rewritten.charAt(contentEnd - 1))) {
            contentEnd--;
        }
        try {
            List<Word> words = KickstartWords.split(rewritten.substring(0, contentEnd));
            return words.isEmpty()
                    ? rewritten
                    : rewritten.substring(0, words.getLast().end()) + rewritten.substring(contentEnd);
        } catch (UnsplittableLine e) {
            return rewritten;
        }
    }

    private static boolean isLineBreak(char c) {
        return c == '\r'
                || c == '\n'
                || c == '\u000b'
                || c == '\u000c'
                || (c >= '\u001c' && c <= '\u001e')
                || c == '\u0085'
                || c == '\u2028'
                || c == '\u2029';
    }

    /** Whether the text holds a password that would be hidden. */
    public static boolean hasPlaintextPassword(String kickstart) {
        return !hidePlaintextPasswords(kickstart).equals(kickstart);
    }

    /** The lines whose password cannot be placed; a kickstart with any is refused when stored. */
    public static List<UnplaceablePassword> unplaceablePasswords(String kickstart) {
        List<UnplaceablePassword> found = new ArrayList<>();
        forEachCommandLine(kickstart, new LineVisitor() {
            @Override
            public void passwordCommand(int number, String line, String command, List<Word> words) {
                problem(command, words)
                        .ifPresent(reason -> found.add(new UnplaceablePassword(number, command, reason)));
            }

            @Override
            public void unsplittable(int number, String line, String command, String reason) {
                found.add(new UnplaceablePassword(number, command, reason));
            }
        });
        return found;
    }

    /** Throws a 400 naming the first line whose password cannot be placed, if any. */
    public static void requirePlaceablePasswords(String field, String kickstart) {
        List<UnplaceablePassword> found = unplaceablePasswords(kickstart);
        if (!found.isEmpty()) {
            throw ProblemException.invalid("'" + field + "' has a password that cannot be told apart on "
                    + found.getFirst().describe() + (found.size() > 1 ? " (and " + (found.size() - 1) + " more)" : "")
                    + "; a booting installer gets the kickstart with its passwords hashed, so each must be one"
                    + " word: quote a password with spaces or give it --iscrypted");
        }
    }

    private interface LineVisitor {
        default void other(String line) {}

        void passwordCommand(int number, String line, String command, List<Word> words);

        void unsplittable(int number, String line, String command, String reason);
    }

    /** Walks the lines (each with its line ending), telling password commands outside sections apart. */
    private static void forEachCommandLine(String kickstart, LineVisitor visitor) {
        boolean inSection = false;
        int number = 0;
        int from = 0;
        while (from < kickstart.length()) {
            int to = lineEnd(kickstart, from);
            String line = kickstart.substring(from, to);
            from = to;
            number++;
            String first = firstWord(line);
            if (first.startsWith("%")) {
                inSection = !first.equals("%end") && !ONE_LINE_DIRECTIVES.contains(first);
                visitor.other(line);
                continue;
            }
            // the command is the first word once unquoted, as pykickstart looks it up ("rootpw", r\ootpw)
            String unquoted = first.replaceAll("[\"'\\\\]", "");
            Optional<PasswordCommand> command = inSection ? Optional.empty() : PasswordCommand.named(unquoted);
            if (command.isEmpty()) {
                visitor.other(line);
                continue;
            }
            String name = command.get().name().toLowerCase(Locale.ROOT);
            try {
                visitor.passwordCommand(number, line, name, KickstartWords.split(line));
            } catch (UnsplittableLine e) {
                visitor.unsplittable(number, line, name, e.getMessage());
            }
        }
    }

    /**
     * Where the line starting at {@code from} ends, its line break included: at every break Python's
     * {@code str.splitlines}, which pykickstart uses, splits at (\r\n, \n, \r, \v, \f, \x1c-\x1e,
     * \x85, U+2028, U+2029), so that no line hides a second one from this parser.
     */
    private static int lineEnd(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r') {
                return i + 1 < text.length() && text.charAt(i + 1) == '\n' ? i + 2 : i + 1;
            }
            if (isLineBreak(c)) {
                return i + 1;
            }
        }
        return text.length();
    }

    private static String firstWord(String line) {
        String stripped = line.strip();
        int end = 0;
        while (end < stripped.length() && !Character.isWhitespace(stripped.charAt(end))) {
            end++;
        }
        return stripped.substring(0, end);
    }

    /** The commands that take a password. */
    private enum PasswordCommand {
        ROOTPW(Set.of("--iscrypted", "--plaintext", "--lock", "--allow-ssh")),
        SSHPW(Set.of("--username", "--iscrypted", "--plaintext", "--lock", "--sshkey")),
        /** Its password is an option's value; its other options are not checked. */
        USER(null),
        BOOTLOADER(null);

        /** Where the password is a word of its own: the options the command has, by name. */
        private final Set<String> options;

        PasswordCommand(Set<String> options) {
            this.options = options;
        }

        boolean knows(String option) {
            int eq = option.indexOf('=');
            return options == null || options.contains(eq < 0 ? option : option.substring(0, eq));
        }

        static Optional<PasswordCommand> named(String word) {
            for (PasswordCommand command : values()) {
                if (command.name().toLowerCase(Locale.ROOT).equals(word)) {
                    return Optional.of(command);
                }
            }
            return Optional.empty();
        }
    }

    /** A command line's words after the command: its options, their values and its other words. */
    private record Parsed(
            List<Word> options,
            List<Word> positional,
            List<PasswordOption> passwords,
            boolean crypted,
            boolean sshkey) {}

    /** A {@code --password} option: the option word and, in the two-word form, its value word. */
    private record PasswordOption(Word option, Word separateValue) {
        Optional<String> value() {
            if (separateValue != null) {
                return Optional.of(separateValue.value());
            }
            int eq = option.value().indexOf('=');
            return eq < 0 ? Optional.empty() : Optional.of(option.value().substring(eq + 1));
        }

        int end() {
            return separateValue != null ? separateValue.end() : option.end();
        }
    }

    private static Parsed parse(PasswordCommand command, List<Word> words) {
        List<Word> options = new ArrayList<>();
        List<Word> positional = new ArrayList<>();
        List<PasswordOption> passwords = new ArrayList<>();
        boolean crypted = false;
        boolean sshkey = false;
        for (int i = 1; i < words.size(); i++) {
            Word word = words.get(i);
            String v = word.value();
            if (!v.startsWith("-")) {
                positional.add(word);
                continue;
            }
            String name = v.contains("=") ? v.substring(0, v.indexOf('=')) : v;
            switch (name) {
                case "--iscrypted" -> crypted = true;
                case "--plaintext" -> crypted = false;
                case "--sshkey" -> sshkey = true;
                default -> {}
            }
            boolean takesSeparateValue = !v.contains("=")
                    && (name.equals("--password")
                                    && (command == PasswordCommand.USER || command == PasswordCommand.BOOTLOADER)
                            || name.equals("--username") && command == PasswordCommand.SSHPW);
            Word separate = null;
            if (takesSeparateValue
                    && i + 1 < words.size()
                    && !words.get(i + 1).value().startsWith("--")) {
                separate = words.get(++i);
            }
            if (name.equals("--password")
                    && (command == PasswordCommand.USER || command == PasswordCommand.BOOTLOADER)) {
                passwords.add(new PasswordOption(word, separate));
            } else {
                options.add(word);
                if (separate != null) {
                    options.add(separate);
                }
            }
        }
        return new Parsed(options, positional, passwords, crypted, sshkey);
    }

    /** Why the password of this command line cannot be placed, if it cannot. */
    private static Optional<String> problem(String name, List<Word> words) {
        PasswordCommand command = PasswordCommand.named(name).orElseThrow();
        Optional<String> abbreviated = abbreviatedPasswordOption(words);
        if (abbreviated.isPresent()) {
            return abbreviated;
        }
        Parsed parsed = parse(command, words);
        if (parsed.crypted() || parsed.sshkey()) {
            return Optional.empty();
        }
        Optional<Word> unknown = parsed.options().stream()
                .filter(o -> o.value().startsWith("-"))
                .filter(o -> !command.knows(o.value()))
                .findFirst();
        if (unknown.isPresent()) {
            // The word itself is not named: it may be the password.
            return Optional.of("word " + (words.indexOf(unknown.get()) + 1) + " starts with '-' but is no option of "
                    + command.name().toLowerCase(Locale.ROOT) + " (a password cannot start with '-')");
        }
        return switch (command) {
            case ROOTPW, SSHPW ->
                parsed.positional().size() > 1
                        ? Optional.of(parsed.positional().size()
                                + " words where one password belongs (quote a password with spaces)")
                        : Optional.empty();
            case USER, BOOTLOADER ->
                parsed.passwords().stream()
                                .anyMatch(
                                        p -> p.value().filter(v -> !v.isEmpty()).isEmpty())
                        ? Optional.of("--password has no value")
                        : Optional.empty();
        };
    }

    /**
     * argparse, which pykickstart uses, takes any unique prefix of an option ({@code --pass} is
     * {@code --password}): such a prefix of an option that decides where a password is, or whether
     * it is plain, cannot be placed.
     */
    private static Optional<String> abbreviatedPasswordOption(List<Word> words) {
        for (Word word : words) {
            String value = word.value();
            String option = value.contains("=") ? value.substring(0, value.indexOf('=')) : value;
            if (option.startsWith("--")) {
                for (String full : PASSWORD_OPTIONS) {
                    if (full.startsWith(option) && !full.equals(option)) {
                        return Optional.of("the option '" + option + "' abbreviates " + full + ": write it out");
                    }
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The line with its plaintext password hashed, or empty when there is nothing to hide. Called only
     * for lines {@link #problem} found placeable.
     */
    private static Optional<String> rewrite(String line, String name, List<Word> words) {
        PasswordCommand command = PasswordCommand.named(name).orElseThrow();
        Parsed parsed = parse(command, words);
        if (parsed.crypted() || parsed.sshkey()) {
            return Optional.empty();
        }
        return switch (command) {
            case ROOTPW, SSHPW -> rewritePositional(line, words, parsed);
            case USER -> rewriteUser(line, parsed);
            case BOOTLOADER -> rewriteBootloader(line, parsed);
        };
    }

    /** {@code rootpw}/{@code sshpw}: the command, {@code --iscrypted}, its other options as written, the hash. */
    private static Optional<String> rewritePositional(String line, List<Word> words, Parsed parsed) {
        if (parsed.positional().isEmpty()) {
            return Optional.empty();
        }
        Word commandWord = words.getFirst();
        Word last = words.getLast();
        StringBuilder rebuilt = new StringBuilder(line.substring(0, commandWord.end())).append(" --iscrypted");
        for (Word option : parsed.options()) {
            if (!option.value().equals("--iscrypted") && !option.value().equals("--plaintext")) {
                rebuilt.append(' ').append(line, option.start(), option.end());
            }
        }
        rebuilt.append(' ').append(sha512Crypt(parsed.positional().getFirst().value()));
        return Optional.of(rebuilt.append(line.substring(last.end())).toString());
    }

    /** {@code user}: each password hashed where it stands; {@code --plaintext} becomes {@code --iscrypted}. */
    private static Optional<String> rewriteUser(String line, Parsed parsed) {
        if (parsed.passwords().isEmpty()) {
            return Optional.empty();
        }
        List<Edit> edits = new ArrayList<>();
        for (PasswordOption password : parsed.passwords()) {
            String hash = sha512Crypt(password.value().orElseThrow());
            edits.add(new Edit(password.option().start(), password.end(), "--password=" + hash));
        }
        List<Word> plaintext = parsed.options().stream()
                .filter(o -> o.value().equals("--plaintext"))
                .toList();
        if (plaintext.isEmpty()) {
            int end = parsed.passwords().getLast().end();
            edits.add(new Edit(end, end, " --iscrypted"));
        } else {
            plaintext.forEach(o -> edits.add(new Edit(o.start(), o.end(), "--iscrypted")));
        }
        return Optional.of(apply(line, edits));
    }

    /** {@code bootloader}: each {@code --password} becomes {@code --iscrypted --password=grub.pbkdf2...}. */
    private static Optional<String> rewriteBootloader(String line, Parsed parsed) {
        if (parsed.passwords().isEmpty()) {
            return Optional.empty();
        }
        List<Edit> edits = new ArrayList<>();
        for (PasswordOption password : parsed.passwords()) {
            String hash = grubPbkdf2(password.value().orElseThrow(), randomBytes(GRUB_PBKDF2_BYTES));
            edits.add(new Edit(password.option().start(), password.end(), "--iscrypted --password=" + hash));
        }
        return Optional.of(apply(line, edits));
    }

    private record Edit(int start, int end, String replacement) {}

    private static String apply(String line, List<Edit> edits) {
        StringBuilder out = new StringBuilder(line);
        edits.stream()
                .sorted(Comparator.comparingInt(Edit::start).reversed())
                .forEach(e -> out.replace(e.start(), e.end(), e.replacement()));
        return out.toString();
    }

    private static String sha512Crypt(String password) {
        StringBuilder salt = new StringBuilder("$6$");
        for (int i = 0; i < 16; i++) {
            salt.append(SALT_CHARS.charAt(RANDOM.nextInt(SALT_CHARS.length())));
        }
        return Sha2Crypt.sha512Crypt(password.getBytes(StandardCharsets.UTF_8), salt.toString());
    }

    /** GRUB2's password hash as {@code grub2-mkpasswd-pbkdf2} writes it: PBKDF2-HMAC-SHA512, upper-case hex. */
    static String grubPbkdf2(String password, byte[] salt) {
        try {
            PBEKeySpec spec =
                    new PBEKeySpec(password.toCharArray(), salt, GRUB_PBKDF2_ITERATIONS, GRUB_PBKDF2_BYTES * 8);
            byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512")
                    .generateSecret(spec)
                    .getEncoded();
            HexFormat hex = HexFormat.of().withUpperCase();
            return "grub.pbkdf2.sha512." + GRUB_PBKDF2_ITERATIONS + "." + hex.formatHex(salt) + "."
                    + hex.formatHex(hash);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA512 is part of every Java runtime", e);
        }
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
