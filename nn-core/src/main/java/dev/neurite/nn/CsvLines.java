package dev.neurite.nn;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The lines of a CSV file split into cells: bytes are split at \n, \r\n or \r, each line is
 * decoded as strict UTF-8 (an invalid byte is reported with its line and cell), a UTF-8
 * byte-order mark is dropped, UTF-16 and binary content are named as such, and each line is cut
 * at commas outside RFC 4180 double quotes ("a ""quoted"" cell, with a comma"); cells are
 * trimmed. Blank lines are skipped. A quoted cell may not span lines.
 */
final class CsvLines {
    /** The longest line read, in bytes. */
    static final int MAX_LINE_BYTES = 1 << 26;

    private final Path file;
    private final InputStream in;
    private final byte[] buf;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private int pos;
    private int limit;
    private byte[] line = new byte[256];
    private int length;
    private int number;
    private boolean pendingCr;

    CsvLines(Path file, InputStream in, int bufferSize) {
        this.file = file;
        this.in = in;
        this.buf = new byte[bufferSize];
    }

    /** The 1-based number of the line {@link #next} returned last. */
    int line() {
        return number;
    }

    /** The cells of the next non-blank line, or null at the end of the file. */
    String[] next() throws IOException {
        while (readLine()) {
            if (number == 1) {
                dropByteOrderMark();
            }
            String text = decode();
            if (!text.isBlank()) {
                return split(text);
            }
        }
        return null;
    }

    /** The next line's bytes into {@code line}; false at the end of the input. */
    private boolean readLine() throws IOException {
        length = 0;
        boolean any = false;
        while (true) {
            if (pos == limit) {
                int n = in.read(buf, 0, buf.length);
                if (n < 0) {
                    if (any) {
                        number++;
                    }
                    return any;
                }
                pos = 0;
                limit = n;
            }
            if (pendingCr) {
                pendingCr = false;
                if (buf[pos] == '\n') {
                    pos++;
                    continue;
                }
            }
            any = true;
            int start = pos;
            while (pos < limit && buf[pos] != '\n' && buf[pos] != '\r') {
                pos++;
            }
            append(start, pos);
            if (pos < limit) {
                pendingCr = buf[pos] == '\r';
                pos++;
                number++;
                return true;
            }
        }
    }

    private void append(int from, int to) throws MalformedDataException {
        int n = to - from;
        if (length + n > MAX_LINE_BYTES) {
            throw new MalformedDataException(file, "line " + (number + 1) + " is longer than " + (MAX_LINE_BYTES >> 20)
                    + " MiB: not a CSV table of numbers");
        }
        if (length + n > line.length) {
            line = Arrays.copyOf(line, Math.min(MAX_LINE_BYTES, Math.max(length + n, 2 * line.length)));
        }
        System.arraycopy(buf, from, line, length, n);
        length += n;
    }

    private void dropByteOrderMark() throws MalformedDataException {
        if (length >= 3 && (line[0] & 0xff) == 0xef && (line[1] & 0xff) == 0xbb && (line[2] & 0xff) == 0xbf) {
            System.arraycopy(line, 3, line, 0, length - 3);
            length -= 3;
        } else if (length >= 2 && ((line[0] & 0xff) == 0xff && (line[1] & 0xff) == 0xfe
                || (line[0] & 0xff) == 0xfe && (line[1] & 0xff) == 0xff)) {
            throw new MalformedDataException(file, "the file is UTF-16 (it starts with a UTF-16 byte-order mark); "
                    + "save it as UTF-8");
        }
    }

    /** The line as text: plain ASCII directly, anything else through a strict UTF-8 decoder. */
    private String decode() throws MalformedDataException {
        boolean ascii = true;
        for (int i = 0; i < length; i++) {
            if (line[i] == 0) {
                throw new MalformedDataException(file, "line " + number + ", column " + columnAt(i)
                        + ": a NUL byte; the file is binary or UTF-16, not UTF-8 text");
            }
            ascii &= line[i] >= 0;
        }
        if (ascii) {
            return new String(line, 0, length, StandardCharsets.ISO_8859_1);
        }
        ByteBuffer bytes = ByteBuffer.wrap(line, 0, length);
        CharBuffer chars = CharBuffer.allocate(length);
        utf8.reset();
        CoderResult r = utf8.decode(bytes, chars, true);
        if (!r.isError()) {
            r = utf8.flush(chars);
        }
        if (r.isError()) {
            int at = bytes.position();
            throw new MalformedDataException(file, String.format("line %d, column %d: invalid UTF-8 (byte 0x%02x at "
                    + "byte %d of the line); the file is not UTF-8 text (from Latin-1, convert it with: iconv -f "
                    + "latin1 -t utf-8)", number, columnAt(at), line[at] & 0xff, at + 1));
        }
        chars.flip();
        return chars.toString();
    }

    /** The 1-based cell that byte {@code at} of the line falls in (commas inside quotes do not count). */
    private int columnAt(int at) {
        int column = 1;
        boolean quoted = false;
        for (int i = 0; i < at; i++) {
            if (line[i] == '"') {
                quoted = !quoted;
            } else if (line[i] == ',' && !quoted) {
                column++;
            }
        }
        return column;
    }

    /** Cuts {@code text} at commas outside double quotes; each cell trimmed and unquoted. */
    private String[] split(String text) throws MalformedDataException {
        List<String> cells = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (true) {
            while (i < n && isBlank(text.charAt(i))) {
                i++;
            }
            if (i < n && text.charAt(i) == '"') {
                StringBuilder cell = new StringBuilder();
                int open = i++;
                while (true) {
                    if (i >= n) {
                        throw new MalformedDataException(file, "line " + number + ", column " + (cells.size() + 1)
                                + ": the quote opened at character " + (open + 1) + " is not closed on this line "
                                + "(cells may not span lines)");
                    }
                    char c = text.charAt(i++);
                    if (c == '"' && i < n && text.charAt(i) == '"') {
                        cell.append('"');
                        i++;
                    } else if (c == '"') {
                        break;
                    } else {
                        cell.append(c);
                    }
                }
                while (i < n && isBlank(text.charAt(i))) {
                    i++;
                }
                if (i < n && text.charAt(i) != ',') {
                    throw new MalformedDataException(file, "line " + number + ", column " + (cells.size() + 1)
                            + ": text after the closing quote (a quote inside a quoted cell is written \"\")");
                }
                cells.add(cell.toString().strip());
            } else {
                int comma = text.indexOf(',', i);
                int end = comma < 0 ? n : comma;
                cells.add(text.substring(i, end).strip());
                i = end;
            }
            if (i >= n) {
                return cells.toArray(new String[0]);
            }
            i++; // the comma
            if (i == n) {
                cells.add("");
                return cells.toArray(new String[0]);
            }
        }
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }
}
