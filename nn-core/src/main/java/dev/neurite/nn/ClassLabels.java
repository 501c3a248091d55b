package dev.neurite.nn;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The class labels of a table, read cell by cell and mapped to indices 0..k-1.
 *
 * <p>The rule: a label is an integer ({@code 3}, {@code -1}, {@code +07}, also {@code 2.0}
 * with only zeros after the point) or a name (any other text). All labels of a file are integers
 * or all are names; a mix (say {@code 1}, {@code 2} and {@code NA}) is an error naming the
 * first cell of the other kind. Integers are sorted numerically and names as Java strings
 * (case-sensitive, locale-independent), and class i is the i-th in that order: labels -1 and 1
 * are classes 0 and 1 named "-1" and "1"; setosa, versicolor, virginica are 0, 1, 2. Equal
 * integers are one class however written ({@code 7}, {@code 07}, {@code 7.0} are all "7").
 * A label written as another number ({@code 0.5}, {@code 1e3}), a missing value (empty,
 * {@code NaN}) or more than {@link Csv#MAX_CLASSES} distinct labels is an error naming the cell.
 *
 * <p>With known classes (a model's), each label must be one of them, compared the same way.
 */
final class ClassLabels {
    private final Path file;
    private final List<String> known;
    private final Map<String, Integer> index = new HashMap<>();
    private final List<String> names = new ArrayList<>();
    private String firstInteger;
    private String firstName;

    /** {@code known}: the classes in index order, or null to take them from the data. */
    ClassLabels(Path file, List<String> known) {
        this.file = file;
        this.known = known;
        if (known != null) {
            index.putAll(indexOf(known));
        }
    }

    /** Each of {@code names} by its canonical form; refused when two are the same class, as "7" and "07" are. */
    static Map<String, Integer> indexOf(List<String> names) {
        Map<String, Integer> index = new HashMap<>();
        for (String name : names) {
            if (index.putIfAbsent(canonical(name), index.size()) != null) {
                throw new IllegalArgumentException("class names repeat: '" + name + "' in " + names);
            }
        }
        return index;
    }

    /** The provisional index of label {@code cell}, found at {@code where} ("line 4, column 5"). */
    int add(String cell, String where) throws MalformedDataException {
        if (cell.isEmpty() || isNonFinite(cell)) {
            throw new MalformedDataException(file, where + ": " + (cell.isEmpty() ? "empty class label"
                    : "'" + cell + "' is a missing or non-finite value, not a class label"));
        }
        String key = canonical(cell);
        if (known != null) {
            Integer i = index.get(key);
            if (i == null) {
                throw new MalformedDataException(file, where + ": label '" + cell + "' is not one of the "
                        + known.size() + " known classes " + preview(known));
            }
            return i;
        }
        checkKind(cell, key, where);
        Integer i = index.get(key);
        if (i != null) {
            return i;
        }
        if (names.size() == Csv.MAX_CLASSES) {
            throw new MalformedDataException(file, where + ": label '" + cell + "' would be class "
                    + (Csv.MAX_CLASSES + 1) + "; a table has at most " + Csv.MAX_CLASSES + " classes (is this "
                    + "column really a class label? real-valued targets are read as a regression)");
        }
        index.put(key, names.size());
        names.add(key);
        return names.size() - 1;
    }

    private void checkKind(String cell, String key, String where) throws MalformedDataException {
        boolean integer = isInteger(key);
        if (!integer && Csv.isDecimal(cell)) {
            throw new MalformedDataException(file, where + ": label '" + cell + "' is a number but not an integer; "
                    + "class labels are integers (0, 1, 2 or -1, 1) or names, and real-valued targets are read as "
                    + "a regression");
        }
        if (integer && firstInteger == null) {
            firstInteger = where + " has '" + cell + "'";
        } else if (!integer && firstName == null) {
            firstName = where + " has '" + cell + "'";
        }
        if (firstInteger != null && firstName != null) {
            throw new MalformedDataException(file, where + ": label '" + cell + "' mixes integer labels and names ("
                    + (integer ? firstName : firstInteger) + "); the labels of a file are all integers or all names");
        }
    }

    /** The final indices of {@code provisional} labels and the class names, in the documented order. */
    List<String> finish(int[] provisional) {
        if (known != null) {
            return known;
        }
        List<String> sorted = new ArrayList<>(names);
        sorted.sort(firstInteger != null ? ClassLabels::compareIntegers : Comparator.naturalOrder());
        int[] rank = new int[names.size()];
        for (int r = 0; r < sorted.size(); r++) {
            rank[index.get(sorted.get(r))] = r;
        }
        for (int i = 0; i < provisional.length; i++) {
            provisional[i] = rank[provisional[i]];
        }
        return sorted;
    }

    /** Integers in their shortest form ("+07" and "7.00" are "7", "-0" is "0"); other text as it is. */
    static String canonical(String cell) {
        String s = cell.strip();
        int end = s.length();
        int dot = s.indexOf('.');
        if (dot >= 0) {
            for (int i = dot + 1; i < end; i++) {
                if (s.charAt(i) != '0') {
                    return s;
                }
            }
            end = dot;
        }
        int start = s.startsWith("-") || s.startsWith("+") ? 1 : 0;
        if (start == end) {
            return s;
        }
        for (int i = start; i < end; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return s;
            }
        }
        int first = start;
        while (first < end - 1 && s.charAt(first) == '0') {
            first++;
        }
        String digits = s.substring(first, end);
        return s.charAt(0) == '-' && !digits.equals("0") ? "-" + digits : digits;
    }

    private static boolean isInteger(String key) {
        int start = key.startsWith("-") ? 1 : 0;
        if (start == key.length()) {
            return false;
        }
        for (int i = start; i < key.length(); i++) {
            if (key.charAt(i) < '0' || key.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** Numeric order of canonical integers of any length. */
    private static int compareIntegers(String a, String b) {
        boolean na = a.startsWith("-");
        boolean nb = b.startsWith("-");
        if (na != nb) {
            return na ? -1 : 1;
        }
        int magnitude = a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
        return na ? -magnitude : magnitude;
    }

    static boolean isNonFinite(String cell) {
        String s = cell.strip();
        if (s.startsWith("-") || s.startsWith("+")) {
            s = s.substring(1);
        }
        return s.equalsIgnoreCase("nan") || s.equalsIgnoreCase("inf") || s.equalsIgnoreCase("infinity");
    }

    private static String preview(List<String> names) {
        return names.size() <= 20 ? names.toString()
                : names.subList(0, 20).toString().replace("]", ", ... (" + names.size() + " in all)]");
    }
}
