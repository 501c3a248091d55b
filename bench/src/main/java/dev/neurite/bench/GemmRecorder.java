package dev.neurite.bench;

import dev.neurite.backend.Backend;
import dev.neurite.backend.DeviceMatrix;
import dev.neurite.backend.Transpose;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

/**
 * A backend that runs every op on another and notes each matrix multiply while recording is on,
 * so that a benchmark can replay exactly the multiplies of a training step and compare their time
 * with the whole step's.
 */
final class GemmRecorder {
    /** One recorded call: C = alpha · op(A) · op(B) + beta · C. */
    record Call(Transpose ta, Transpose tb, float alpha, DeviceMatrix a, DeviceMatrix b, float beta, DeviceMatrix c) {
        /** 2·M·N·K. */
        double flops() {
            return 2.0 * c.rows() * c.cols() * ta.cols(a);
        }
    }

    private final Backend inner;
    private final List<Call> calls = new ArrayList<>();
    private boolean recording;

    GemmRecorder(Backend inner) {
        this.inner = inner;
    }

    /** The backend to hand to the network: {@code inner}, with its gemm calls noted while recording. */
    Backend backend() {
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> {
                    if (recording && method.getName().equals("gemm")) {
                        calls.add(new Call((Transpose) args[0], (Transpose) args[1], (Float) args[2],
                                (DeviceMatrix) args[3], (DeviceMatrix) args[4], (Float) args[5], (DeviceMatrix) args[6]));
                    }
                    try {
                        return method.invoke(inner, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** Notes the multiplies of {@code work}, run once; returns them. */
    List<Call> record(Runnable work) {
        calls.clear();
        recording = true;
        try {
            work.run();
        } finally {
            recording = false;
        }
        return List.copyOf(calls);
    }

    /** Runs {@code calls} again on the inner backend, in order. */
    void replay(List<Call> calls) {
        for (Call c : calls) {
            inner.gemm(c.ta(), c.tb(), c.alpha(), c.a(), c.b(), c.beta(), c.c());
        }
    }
}
