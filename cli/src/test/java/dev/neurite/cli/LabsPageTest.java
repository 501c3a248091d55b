package dev.neurite.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/labs.md shows what the commands print: every block marked {@code <!-- checked -->} is run
 * here, command by command, and its output must be the page's. Lines that depend on the machine
 * (the backend line, seconds and samples per second) are left out of the comparison, and numbers
 * may differ a little (another CPU sums in another order); everything else must match. Files the
 * commands write (bare file names) go to a temporary folder, in which later commands find them.
 */
class LabsPageTest {
    private static final Path ROOT = ExamplesTest.root();
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(?:,\\d{3})*(?:\\.\\d+)?(?:[eE][-+]?\\d+)?");
    private static final Pattern SPEED = Pattern.compile("\\d+\\.\\d+ s\\s+\\d+ samples/s");

    @Test
    void everyCheckedLabPrintsWhatThePageShows(@TempDir Path dir) throws IOException {
        List<String> page = Files.readAllLines(ROOT.resolve("docs/labs.md"));
        int blocks = 0;
        for (int i = 0; i < page.size(); i++) {
            if (!page.get(i).strip().equals("<!-- checked -->")) {
                continue;
            }
            assertTrue(page.get(i + 1).startsWith("```"), "docs/labs.md line " + (i + 2) + ": a code block after the marker");
            int end = i + 2;
            while (!page.get(end).startsWith("```")) {
                end++;
            }
            runBlock(page.subList(i + 2, end), i + 3, dir);
            blocks++;
            i = end;
        }
        assertTrue(blocks >= 6, "docs/labs.md has only " + blocks + " checked blocks");
    }

    private static void runBlock(List<String> lines, int firstLine, Path dir) {
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).startsWith("$ neurite ")) {
                continue;
            }
            List<String> expected = new ArrayList<>();
            int j = i + 1;
            while (j < lines.size() && !lines.get(j).startsWith("$ ")) {
                expected.add(lines.get(j));
                j++;
            }
            String command = lines.get(i).substring(2);
            compare(command, firstLine + i, expected, run(command, dir), dir);
            i = j - 1;
        }
    }

    private static String run(String command, Path dir) {
        List<String> args = new ArrayList<>();
        for (String a : words(command.substring("neurite ".length()))) {
            boolean file = !a.contains("/") && a.matches("[\\w.-]+\\.(model|png|csv)");
            args.add(a.startsWith("examples/") ? ROOT.resolve(a).toString() : file ? dir.resolve(a).toString() : a);
        }
        args.add("--backend");
        args.add("cpu");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        int code = Main.run(args.toArray(String[]::new), ps, ps);
        String text = out.toString(StandardCharsets.UTF_8).replace(ROOT + "/", "").replace(dir + "/", "");
        return code == 0 ? text : text + "(exit status " + code + ")\n";
    }

    private static void compare(String command, int line, List<String> expected, String actual, Path dir) {
        List<String> want = kept(expected);
        List<String> got = kept(actual.lines().toList());
        String where = "docs/labs.md line " + line + ", " + command + ":\n" + actual;
        int g = 0;
        for (int k = 0; k < want.size(); k++) {
            if (want.get(k).equals("...")) {
                // the page leaves lines out: the lines after "..." are the last ones printed (or, when
                // another "..." follows, the lines from the next one with the words of the next shown)
                int rest = want.size() - k - 1;
                if (!want.subList(k + 1, want.size()).contains("...")) {
                    g = Math.max(g, got.size() - rest);
                } else {
                    String next = skeleton(want.get(k + 1));
                    while (g < got.size() && !skeleton(got.get(g)).equals(next)) {
                        g++;
                    }
                }
                continue;
            }
            assertTrue(g < got.size(), "printed fewer lines than the page shows: " + where);
            assertEquals(skeleton(want.get(k)), skeleton(got.get(g)), where);
            Matcher w = NUMBER.matcher(want.get(k));
            Matcher p = NUMBER.matcher(got.get(g));
            while (w.find() && p.find()) {
                assertTrue(close(w.group(), p.group()), "shows " + w.group() + ", printed " + p.group() + " in '"
                        + got.get(g) + "': " + where);
            }
            g++;
        }
        assertEquals(got.size(), g, "printed more lines than the page shows: " + where);
    }

    private static String skeleton(String line) {
        return NUMBER.matcher(line).replaceAll("#");
    }

    /** The lines compared: without the backend's description, times and speeds blanked. */
    private static List<String> kept(List<String> lines) {
        return lines.stream().filter(l -> !l.startsWith("neurite: backend "))
                .map(l -> SPEED.matcher(l).replaceAll("s samples/s").stripTrailing()).toList();
    }

    /** Within 5% or 0.05 (a few rows' accuracy, rounding); a tiny number (a relative error) within a factor of 10. */
    private static boolean close(String shown, String printed) {
        double a = Double.parseDouble(shown.replace(",", ""));
        double b = Double.parseDouble(printed.replace(",", ""));
        if (Math.abs(a) < 1e-2 && Math.abs(b) < 1e-2) {
            return true;
        }
        if (shown.toLowerCase(java.util.Locale.ROOT).contains("e-")) {
            return b > a / 10 && b < a * 10;
        }
        return Math.abs(a - b) <= Math.max(0.05, 0.05 * Math.abs(a));
    }

    /** The words of a shell command line: spaces separate, double quotes group. */
    private static List<String> words(String line) {
        List<String> w = new ArrayList<>();
        Matcher m = Pattern.compile("\"([^\"]*)\"|(\\S+)").matcher(line);
        while (m.find()) {
            w.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return w;
    }
}
