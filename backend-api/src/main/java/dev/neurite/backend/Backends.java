package dev.neurite.backend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * Discovery and selection of backends.
 *
 * <p>The request comes from the system property {@value #PROPERTY}, else the environment variable
 * {@value #ENV}, else {@code auto}. Its form is {@code auto | NAME | NAME:DEVICE} (NAME as
 * {@link BackendProvider#name()}, DEVICE a 0-based index). {@code auto} opens the available
 * provider with the highest priority. A named backend that is unknown or unavailable throws
 * {@link BackendUnavailableException}; it never silently runs elsewhere. {@link BackendOptions}
 * configure the backend that opens (threads, tiling, device), so that one JVM can hold
 * differently configured backends; system properties are their defaults only.
 *
 * <p>Each {@link #open(String)} logs one line saying what it opened and, for {@code auto}, why
 * each other provider was skipped, at {@code DEBUG} on the {@link System.Logger} named
 * {@value #LOGGER} (with no logging library that is {@code java.util.logging}, where DEBUG is
 * {@code FINE}: quiet unless turned up). The same line is always at hand without logging:
 * {@code select(requested()).explanation()}, and {@link #describe()} lists every provider.
 */
public final class Backends {
    /** The system property naming the backend: {@value}. */
    public static final String PROPERTY = "neurite.backend";
    /** The environment variable naming the backend when the property is unset: {@value}. */
    public static final String ENV = "NEURITE_BACKEND";

    /** The name of the logger the selection line goes to: {@value}. */
    public static final String LOGGER = "dev.neurite.backend";

    private static final System.Logger LOG = System.getLogger(LOGGER);
    private static volatile List<ProviderStatus> statuses;

    private Backends() {
    }

    /**
     * A provider with its cached probe result.
     *
     * @param provider     the provider
     * @param availability what its probe said (run once per JVM)
     */
    public record ProviderStatus(BackendProvider provider, Availability availability) {
        /** The provider's name. */
        public String name() {
            return provider.name();
        }

        /** The provider's priority ({@code auto} opens the highest available). */
        public int priority() {
            return provider.priority();
        }

        @Override
        public String toString() {
            return name() + " (priority " + priority() + "): " + availability;
        }
    }

    /**
     * What a request resolved to.
     *
     * @param provider    the chosen provider
     * @param deviceIndex the device to open
     * @param explanation one line: the choice and why every other provider was skipped
     */
    public record Selection(BackendProvider provider, int deviceIndex, String explanation) {
    }

    /** Opens the backend the property, the environment or {@code auto} asks for. */
    public static Backend open() {
        return open(requested());
    }

    /** Opens the backend {@code spec} names ({@code auto}, {@code cpu}, {@code opencl:1}, ...). */
    public static Backend open(String spec) {
        return open(spec, BackendOptions.defaults());
    }

    /**
     * Opens the backend {@code spec} names, configured by {@code options}. The device comes from
     * {@code spec}'s {@code :N} or from {@link BackendOptions#device()}; if both are given they must agree.
     */
    public static Backend open(String spec, BackendOptions options) {
        Selection s = select(statuses(), spec, options);
        if (s.explanation() != null) {
            LOG.log(System.Logger.Level.DEBUG, s.explanation());
        }
        return s.provider().open(s.deviceIndex(), options);
    }

    /** The request in force: the system property, else the environment variable, else "auto". */
    public static String requested() {
        String spec = System.getProperty(PROPERTY);
        if (spec == null || spec.isBlank()) {
            spec = System.getenv(ENV);
        }
        return spec == null || spec.isBlank() ? "auto" : spec.trim();
    }

    /** Resolves {@code spec} without opening anything. */
    public static Selection select(String spec) {
        return select(statuses(), spec);
    }

    /** Resolves {@code spec} among {@code all} (sorted by priority, highest first). */
    static Selection select(List<ProviderStatus> all, String spec) {
        return select(all, spec, BackendOptions.defaults());
    }

    /** Resolves {@code spec} among {@code all}, the device index from the spec or the options. */
    static Selection select(List<ProviderStatus> all, String spec, BackendOptions options) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        OptionalInt option = options.device();
        if (s.equals("auto")) {
            Selection auto = selectAuto(all);
            int device = option.orElse(0);
            checkDevice(auto.provider().name(), auto.provider().deviceCount(), device);
            return new Selection(auto.provider(), device, auto.explanation());
        }
        String name = s;
        int device = option.orElse(0);
        int colon = s.indexOf(':');
        if (colon >= 0) {
            name = s.substring(0, colon);
            try {
                device = Integer.parseInt(s.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new BackendUnavailableException("backend request '" + spec
                        + "': device index must be a number, as in " + name + ":0");
            }
            if (option.isPresent() && option.getAsInt() != device) {
                throw new IllegalArgumentException("backend request '" + spec + "' names device " + device
                        + " but option device is " + option.getAsInt());
            }
        }
        ProviderStatus status = find(all, name);
        if (!status.availability().available()) {
            throw new BackendUnavailableException("backend '" + name + "' is unavailable: "
                    + status.availability().detail());
        }
        checkDevice(name, status.provider().deviceCount(), device);
        return new Selection(status.provider(), device,
                "neurite: backend " + name + ":" + device + " (requested explicitly)");
    }

    private static void checkDevice(String name, int count, int device) {
        if (device < 0 || device >= count) {
            throw new BackendUnavailableException("backend '" + name + "' has " + count
                    + " device(s) (0.." + (count - 1) + "), no device " + device);
        }
    }

    /** Every provider on the class path with availability and reason, highest priority first. */
    public static List<ProviderStatus> describe() {
        return statuses();
    }

    /** The names of the providers on the class path. */
    public static List<String> names() {
        return statuses().stream().map(ProviderStatus::name).toList();
    }

    private static Selection selectAuto(List<ProviderStatus> all) {
        ProviderStatus chosen = all.stream().filter(p -> p.availability().available()).findFirst()
                .orElseThrow(() -> new BackendUnavailableException(
                        "no backend is available; " + (all.isEmpty() ? "none is on the class path" : explain(all, p -> p.toString()))));
        StringBuilder line = new StringBuilder("neurite: auto chose ").append(chosen.name())
                .append(" (priority ").append(chosen.priority()).append(")");
        for (ProviderStatus other : all) {
            if (other == chosen) {
                continue;
            }
            line.append("; skipped ").append(other.name()).append(": ")
                    .append(other.availability().available() ? "lower priority (" + other.priority() + ")"
                            : "unavailable: " + other.availability().detail());
        }
        return new Selection(chosen.provider(), 0, line.toString());
    }

    private static ProviderStatus find(List<ProviderStatus> all, String name) {
        for (ProviderStatus p : all) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new BackendUnavailableException("unknown backend '" + name + "'; known: auto"
                + (all.isEmpty() ? "" : ", " + explain(all, ProviderStatus::name))
                + ". A backend module is found when its jar is on the class path.");
    }

    private static String explain(List<ProviderStatus> all, Function<ProviderStatus, String> f) {
        return String.join(", ", all.stream().map(f).toList());
    }

    private static List<ProviderStatus> statuses() {
        List<ProviderStatus> s = statuses;
        if (s == null) {
            synchronized (Backends.class) {
                s = statuses;
                if (s == null) {
                    s = discover();
                    statuses = s;
                }
            }
        }
        return s;
    }

    private static List<ProviderStatus> discover() {
        List<BackendProvider> providers = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class).forEach(providers::add);
        return probeAll(providers);
    }

    /** Probes each provider once and sorts them by priority, highest first. */
    static List<ProviderStatus> probeAll(List<BackendProvider> providers) {
        List<ProviderStatus> found = new ArrayList<>();
        for (BackendProvider p : providers) {
            found.add(new ProviderStatus(p, safeProbe(p)));
        }
        found.sort(Comparator.comparingInt(ProviderStatus::priority).reversed()
                .thenComparing(ProviderStatus::name));
        return List.copyOf(found);
    }

    private static Availability safeProbe(BackendProvider p) {
        try {
            return p.probe();
        } catch (Throwable t) {
            // A probe is not supposed to throw; if one does, that is its reason.
            return Availability.unavailable("probe failed: " + t);
        }
    }
}
