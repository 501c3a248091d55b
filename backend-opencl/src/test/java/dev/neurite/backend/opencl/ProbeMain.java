package dev.neurite.backend.opencl;

import dev.neurite.backend.Backend;
import dev.neurite.backend.BackendUnavailableException;
import dev.neurite.backend.Backends;

/** Run in a child JVM by {@link OpenClProviderTest}: prints what selection sees there. */
public final class ProbeMain {
    private ProbeMain() {
    }

    public static void main(String[] args) {
        for (Backends.ProviderStatus s : Backends.describe()) {
            System.out.println("provider " + s);
        }
        System.out.println("auto " + Backends.select("auto").explanation());
        try (Backend b = Backends.open("auto")) {
            System.out.println("opened " + b.name());
        }
        try {
            Backends.open("opencl").close();
            System.out.println("explicit opened");
        } catch (BackendUnavailableException e) {
            System.out.println("explicit refused: " + e.getMessage());
        }
    }
}
