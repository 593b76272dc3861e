package io.clusterplatform.provisioner.core.kickstarts;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one kickstart command line into words the way Anaconda's pykickstart does, which calls
 * Python's {@code shlex.split(line, comments=True)} (POSIX mode): words are separated by white
 * space; {@code '...'} quotes everything; {@code "..."} quotes everything but {@code \"} and
 * {@code \\}; a backslash outside quotes takes the next character as it is; a {@code #} outside
 * quotes, even inside a word, ends the line. Each word keeps where it stands in the line, so a
 * rewrite can replace exactly the characters of one word and leave the rest of the line as written.
 *
 * <p>Hand-written because the rule to match is Python's shlex and no Java library reproduces it
 * (commons-text's StringTokenizer and Spring's tokenizers differ in escapes and comments).
 */
final class KickstartWords {
    /** A word's value after quotes and escapes, and the characters {@code [start, end)} it took in the line. */
    record Word(String value, int start, int end) {}

    /** The line cannot be split: it would be refused by pykickstart too. */
    static final class UnsplittableLine extends Exception {
        UnsplittableLine(String message) {
            super(message);
        }
    }

    private KickstartWords() {}

    static List<Word> split(String line) throws UnsplittableLine {
        List<Word> words = new ArrayList<>();
        StringBuilder value = null;
        int start = 0;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (value == null) {
                if (Character.isWhitespace(c)) {
                    i++;
                    continue;
                }
                if (c == '#') {
                    break;
                }
                value = new StringBuilder();
                start = i;
            }
            if (Character.isWhitespace(c)) {
                words.add(new Word(value.toString(), start, i));
                value = null;
                i++;
            } else if (c == '#') {
                break;
            } else if (c == '\'') {
                int close = line.indexOf('\'', i + 1);
                if (close < 0) {
                    throw new UnsplittableLine("no closing quotation (')");
                }
                value.append(line, i + 1, close);
                i = close + 1;
            } else if (c == '"') {
                i = doubleQuoted(line, i + 1, value);
            } else if (c == '\\') {
                if (i + 1 >= line.length()) {
                    throw new UnsplittableLine("a backslash at the end of the line escapes nothing");
                }
                value.append(line.charAt(i + 1));
                i += 2;
            } else {
                value.append(c);
                i++;
            }
        }
        if (value != null) {
            words.add(new Word(value.toString(), start, i));
        }
        return words;
    }

    /** Reads a double-quoted part from {@code i} (after the opening quote); returns the index after the closing one. */
    private static int doubleQuoted(String line, int i, StringBuilder value) throws UnsplittableLine {
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\' && i + 1 < line.length() && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
                value.append(line.charAt(i + 1));
                i += 2;
            } else {
                value.append(c);
                i++;
            }
        }
        throw new UnsplittableLine("no closing quotation (\")");
    }
}
