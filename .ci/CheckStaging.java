import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Checks a staged release (the folder `./mvnw -Prelease deploy` wrote, RELEASING.md): every
 * artifact has its pom, and a jar artifact its jar, sources jar and javadoc jar, each with a
 * signature that gpg verifies; every jar names its module; the poms carry what Maven Central
 * asks for; and neurite-bom manages exactly the artifacts that were staged.
 *
 * <p>Usage: java CheckStaging.java STAGING_DIR BOM_POM GNUPG_HOME. Prints the coordinates and
 * exits 1 listing every fault.
 */
public class CheckStaging {
    private static final Pattern MODULE_NAME = Pattern.compile("[a-z][a-z0-9]*(\\.[a-z][a-z0-9]*)*");
    private static final List<String> FAULTS = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        Path staging = Path.of(args[0]);
        Path bom = Path.of(args[1]);
        Path gnupg = Path.of(args[2]);
        Path group = staging.resolve("dev/neurite");
        Map<String, Element> staged = new TreeMap<>();
        Set<String> moduleNames = new TreeSet<>();
        try (Stream<Path> artifacts = Files.list(group)) {
            for (Path artifactDir : artifacts.filter(Files::isDirectory).sorted().toList()) {
                String artifactId = artifactDir.getFileName().toString();
                try (Stream<Path> versions = Files.list(artifactDir)) {
                    for (Path versionDir : versions.filter(Files::isDirectory).toList()) {
                        staged.put(artifactId, checkArtifact(artifactId, versionDir, gnupg, moduleNames));
                    }
                }
            }
        }
        checkBom(bom, staged.keySet());
        if (!FAULTS.isEmpty()) {
            System.out.println("staged release: " + FAULTS.size() + " fault(s)");
            FAULTS.forEach(f -> System.out.println("  " + f));
            System.exit(1);
        }
        System.out.println("staged release: " + staged.size() + " artifacts, each signed, jars with sources and javadoc:");
        staged.forEach((id, pom) -> System.out.println("  dev.neurite:" + id + ":" + text(pom, "version", "parent")
                + " (" + packaging(pom) + ")"));
        System.out.println("module names: " + String.join(", ", moduleNames));
    }

    /** The files of one artifact version; returns its pom. */
    private static Element checkArtifact(String artifactId, Path dir, Path gnupg, Set<String> moduleNames)
            throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.sorted().toList();
        }
        Path pom = newest(files, artifactId, "", ".pom");
        if (pom == null) {
            FAULTS.add(artifactId + ": no pom in " + dir);
            return null;
        }
        Element project = parse(pom).getDocumentElement();
        checkMetadata(artifactId, project);
        List<Path> required = new ArrayList<>(List.of(pom));
        if (packaging(project).equals("jar")) {
            for (String classifier : List.of("", "-sources", "-javadoc")) {
                Path jar = newest(files, artifactId, classifier, ".jar");
                if (jar == null) {
                    FAULTS.add(artifactId + ": no " + (classifier.isEmpty() ? "main" : classifier.substring(1)) + " jar");
                } else {
                    required.add(jar);
                }
            }
            Path jar = newest(files, artifactId, "", ".jar");
            if (jar != null) {
                checkJar(artifactId, jar, moduleNames);
            }
            Path tests = newest(files, artifactId, "-tests", ".jar");
            if (tests != null) {
                required.add(tests);
                checkJar(artifactId + " (tests)", tests, moduleNames);
            }
        }
        for (Path file : required) {
            Path signature = file.resolveSibling(file.getFileName() + ".asc");
            if (!Files.exists(signature)) {
                FAULTS.add(artifactId + ": " + file.getFileName() + " is not signed");
            } else {
                verify(signature, file, gnupg);
            }
        }
        return project;
    }

    /** The name, description and, on the poms that are not children, what Central asks for. */
    private static void checkMetadata(String artifactId, Element project) {
        for (String element : List.of("name", "description")) {
            if (text(project, element, null).isBlank()) {
                FAULTS.add(artifactId + ": the pom has no <" + element + ">");
            }
        }
        if (child(project, "parent") == null) {
            for (String element : List.of("url", "licenses", "developers", "scm")) {
                if (child(project, element) == null) {
                    FAULTS.add(artifactId + ": the pom (no parent) has no <" + element + ">");
                }
            }
        }
    }

    private static void checkJar(String what, Path jar, Set<String> moduleNames) throws IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            String name = j.getManifest() == null ? null
                    : j.getManifest().getMainAttributes().getValue("Automatic-Module-Name");
            if (name == null || !MODULE_NAME.matcher(name).matches()) {
                FAULTS.add(what + ": Automatic-Module-Name is " + name + ", not a module name");
            } else if (!moduleNames.add(name)) {
                FAULTS.add(what + ": module name " + name + " is taken by another jar");
            }
        }
    }

    /** neurite-bom manages every staged jar artifact, and nothing else. */
    private static void checkBom(Path bom, Set<String> staged) throws Exception {
        Set<String> managed = new TreeSet<>();
        Element management = child(parse(bom).getDocumentElement(), "dependencyManagement");
        NodeList dependencies = management.getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++) {
            managed.add(text((Element) dependencies.item(i), "artifactId", null));
        }
        Set<String> expected = new TreeSet<>(staged);
        expected.removeAll(Set.of("neurite-parent", "neurite-bom"));
        if (!managed.equals(expected)) {
            Set<String> missing = new TreeSet<>(expected);
            missing.removeAll(managed);
            Set<String> extra = new TreeSet<>(managed);
            extra.removeAll(expected);
            FAULTS.add("neurite-bom: staged but not managed " + missing + ", managed but not staged " + extra);
        }
    }

    private static void verify(Path signature, Path file, Path gnupg) throws Exception {
        Process p = new ProcessBuilder("gpg", "--homedir", gnupg.toString(), "--batch", "--verify",
                signature.toString(), file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            FAULTS.add(file.getFileName() + ": signature does not verify: " + out.strip());
        }
    }

    /** The file of this classifier and extension; for a snapshot, the newest timestamped one. */
    private static Path newest(List<Path> files, String artifactId, String classifier, String extension) {
        Path found = null;
        for (Path f : files) {
            String n = f.getFileName().toString();
            if (n.startsWith(artifactId + "-") && n.endsWith(classifier + extension)) {
                String version = n.substring(artifactId.length() + 1, n.length() - classifier.length() - extension.length());
                boolean plain = classifier.isEmpty() ? !version.matches(".*-(sources|javadoc|tests)") : true;
                if (plain && !version.isEmpty() && (found == null || n.compareTo(found.getFileName().toString()) > 0)) {
                    found = f;
                }
            }
        }
        return found;
    }

    private static String packaging(Element project) {
        String p = text(project, "packaging", null);
        return p.isBlank() ? "jar" : p;
    }

    private static Document parse(Path xml) throws Exception {
        try (InputStream in = Files.newInputStream(xml)) {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
        }
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    /** The text of child {@code name}, else of {@code fallback}'s child {@code name}, else "". */
    private static String text(Element parent, String name, String fallback) {
        Element e = child(parent, name);
        if (e == null && fallback != null && child(parent, fallback) != null) {
            e = child(child(parent, fallback), name);
        }
        return e == null ? "" : e.getTextContent().strip();
    }
}
