package dev.neurite.bench;

import dev.neurite.backend.Backends;

/** Prints every backend provider with its availability: one line each, "NAME available|unavailable: detail". */
public final class Describe {
    private Describe() {
    }

    public static void main(String[] args) {
        for (Backends.ProviderStatus s : Backends.describe()) {
            System.out.println(s.name() + " " + s.availability());
        }
    }
}
