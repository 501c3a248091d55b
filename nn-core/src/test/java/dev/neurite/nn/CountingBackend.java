package dev.neurite.nn;

import dev.neurite.backend.Backend;
import dev.neurite.backend.DeviceMatrix;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

/**
 * A backend that runs everything on another and remembers every matrix allocated through it, so
 * a test can count the ones still open.
 */
final class CountingBackend {
    private final List<DeviceMatrix> allocated = new ArrayList<>();
    private final Backend backend;

    CountingBackend(Backend delegate) {
        backend = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    boolean creates = method.getName().equals("allocate")
                            || (method.getName().equals("upload") && result instanceof DeviceMatrix);
                    if (creates) {
                        allocated.add((DeviceMatrix) result);
                    }
                    return result;
                });
    }

    Backend backend() {
        return backend;
    }

    /** Matrices allocated through this backend and not closed. */
    long live() {
        return allocated.stream().filter(m -> !m.isClosed()).count();
    }

    long allocations() {
        return allocated.size();
    }
}
