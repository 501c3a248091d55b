package dev.neurite.nn;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Detects concurrent use of an object that is single-threaded by contract: {@link #enter} by a
 * second thread while a first is inside throws {@link IllegalStateException} naming the object,
 * instead of letting the two corrupt each other's buffers. Use from one thread after another is
 * fine, and so is re-entry by the thread inside (a trainer calling its network).
 */
final class Guard {
    private final AtomicReference<Thread> owner = new AtomicReference<>();
    private final Supplier<String> name;
    private int depth;

    Guard(Supplier<String> name) {
        this.name = name;
    }

    void enter() {
        Thread me = Thread.currentThread();
        Thread other = owner.compareAndExchange(null, me);
        if (other != null && other != me) {
            throw new IllegalStateException(name.get() + " is in use by thread '" + other.getName() + "' while thread '"
                    + me.getName() + "' calls it: it is single-threaded, give each thread its own");
        }
        depth++;
    }

    void exit() {
        if (--depth == 0) {
            owner.set(null);
        }
    }
}
