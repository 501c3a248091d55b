package dev.neurite.backend;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Releases what a constructor acquired so far when it fails before the end, in reverse order:
 * a device backend opening a context, then a queue, then building its kernels, must not keep
 * the context when the build throws.
 *
 * <pre>{@code
 * try (Undo undo = new Undo()) {
 *     context = create();
 *     undo.add(() -> destroy(context));
 *     module = load(context);          // throws: context is destroyed
 *     undo.add(module::unload);
 *     undo.keep();                     // done: nothing is undone
 * }
 * }</pre>
 */
public final class Undo implements AutoCloseable {
    private final Deque<Runnable> steps = new ArrayDeque<>();
    private boolean kept;

    /** Registers how to release the last thing acquired. */
    public void add(Runnable release) {
        steps.push(release);
    }

    /** Everything succeeded: {@link #close()} releases nothing. */
    public void keep() {
        kept = true;
    }

    /**
     * Unless {@link #keep()} was called, runs every release, the latest first; if some throw,
     * the others still run and the first failure is thrown (with the later ones suppressed) after
     * the last release, so that a try-with-resources attaches it to the constructor's exception.
     */
    @Override
    public void close() {
        if (kept) {
            return;
        }
        RuntimeException failure = null;
        while (!steps.isEmpty()) {
            try {
                steps.pop().run();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
