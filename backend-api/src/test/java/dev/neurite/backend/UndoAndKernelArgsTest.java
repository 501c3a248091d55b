package dev.neurite.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The two helpers device backends build on: undoing a failed constructor, and typed kernel arguments. */
class UndoAndKernelArgsTest {

    @Test
    void aFailedConstructionReleasesWhatItAcquiredLatestFirst() {
        List<String> released = new ArrayList<>();
        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> {
            try (Undo undo = new Undo()) {
                undo.add(() -> released.add("context"));
                undo.add(() -> released.add("queue"));
                throw new IllegalStateException("loading the module failed");
            }
        });
        assertEquals("loading the module failed", failure.getMessage());
        assertEquals(List.of("queue", "context"), released);
    }

    @Test
    void aCompletedConstructionKeepsEverything() {
        List<String> released = new ArrayList<>();
        try (Undo undo = new Undo()) {
            undo.add(() -> released.add("context"));
            undo.keep();
        }
        assertEquals(List.of(), released);
    }

    @Test
    void aReleaseThatFailsDoesNotStopTheOthers() {
        List<String> released = new ArrayList<>();
        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> {
            try (Undo undo = new Undo()) {
                undo.add(() -> released.add("context"));
                undo.add(() -> {
                    throw new IllegalArgumentException("queue release failed");
                });
                throw new IllegalStateException("build failed");
            }
        });
        assertEquals(List.of("context"), released);
        assertEquals("queue release failed", failure.getSuppressed()[0].getMessage());
    }

    @Test
    void kernelArgumentsKeepTheirOrderAndTypes() {
        KernelArgs args = new KernelArgs();
        for (int round = 0; round < 2; round++) {
            args.clear().addInt(7).addFloat(0.5f).addWindow(new Window(1, 4, 4, 2, 2, 2, 0));
            for (int i = 0; i < 20; i++) {
                args.addInt(i);
            }
            assertEquals(29, args.size());
            assertEquals(KernelArgs.Type.INT, args.type(0));
            assertEquals(7, args.intAt(0));
            assertEquals(0.5f, args.floatAt(1));
            assertEquals(4, args.intAt(3));
            assertEquals(19, args.intAt(28));
        }
        assertThrows(IllegalStateException.class, () -> args.floatAt(0));
        assertThrows(IndexOutOfBoundsException.class, () -> args.intAt(29));
        assertSame(args, args.clear());
        assertEquals(0, args.size());
    }
}
