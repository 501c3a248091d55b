package dev.neurite.nn;

import dev.neurite.backend.Axis;
import dev.neurite.backend.Backend;
import dev.neurite.backend.DeviceMatrix;
import dev.neurite.backend.Reduction;
import dev.neurite.backend.Transpose;
import dev.neurite.backend.Window;

/**
 * 2-D convolution of F square filters over images (C, H, W) -> (F, OH, OW), by im2col onto the
 * matrix multiply: y = im2col(x) · Wᵀ + b with W (F, KH·KW·C), one filter a row, and b (1, F).
 * Backward: dW = dyᵀ·cols, db = Σ dy, dx = col2im(dy·W). (With one filter a row, the weight
 * gradient is a wide product, 83 GFLOP/s for LeNet's second convolution, where colsᵀ·dy into a
 * (KH·KW·C, F) matrix ran at 37.)
 */
public final class Conv2d implements Layer {
    private final int filters;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final Init init;
    private Backend backend;
    private Window window;
    private DeviceMatrix weights;
    private DeviceMatrix bias;
    private DeviceMatrix weightsGrad;
    private DeviceMatrix biasGrad;
    private DeviceMatrix cols;
    private DeviceMatrix y;
    private DeviceMatrix yImages;
    private DeviceMatrix dCols;
    private final Buffers.View dyRows = new Buffers.View();
    private DeviceMatrix dx;

    /** F filters of kernel x kernel, moving by {@code stride}, over images padded by {@code padding} zeros. */
    public Conv2d(int filters, int kernel, int stride, int padding, Init init) {
        if (filters < 1 || kernel < 1 || stride < 1 || padding < 0) {
            throw new IllegalArgumentException("conv2d: filters " + filters + ", kernel " + kernel + ", stride " + stride
                    + ", padding " + padding + "; need filters, kernel, stride >= 1 and padding >= 0");
        }
        this.filters = filters;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.init = java.util.Objects.requireNonNull(init, "conv2d: init");
    }

    @Override
    public Shape bind(Binding binding, Shape in) {
        this.backend = binding.backend();
        if (in.height() + 2L * padding < kernel || in.width() + 2L * padding < kernel) {
            throw new IllegalArgumentException("conv2d " + kernel + "x" + kernel + ": input samples are " + in
                    + "; a convolution needs images (C, H, W) of at least that size — start the network with "
                    + "Network.builder(Shape.image(C, H, W))");
        }
        if ((long) kernel * kernel * Math.max(in.channels(), filters) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("conv2d " + kernel + "x" + kernel + ": filters of " + in.channels()
                    + " channels or " + filters + " outputs would have more than " + Integer.MAX_VALUE + " values");
        }
        int area = kernel * kernel;
        int patch = area * in.channels();
        // fan-in KH·KW·C, fan-out KH·KW·F; one filter a row
        Parameter w = binding.weights("weights", filters, patch, init, patch, area * filters);
        Parameter b = binding.parameter("bias", 1, filters, 0f);
        weights = w.value();
        weightsGrad = w.grad();
        bias = b.value();
        biasGrad = b.grad();
        window = new Window(in.channels(), in.height(), in.width(), kernel, kernel, stride, padding);
        return Shape.image(filters, window.outHeight(), window.outWidth());
    }

    /** x (N, H·W·C) -> cols (N·OH·OW, KH·KW·C) · Wᵀ (KH·KW·C, F) + b -> y (N·OH·OW, F), seen as (N, OH·OW·F). */
    @Override
    public DeviceMatrix forward(DeviceMatrix x, boolean training) {
        int positions = x.rows() * window.positions();
        cols = Buffers.ensure(backend, cols, positions, window.patchSize());
        backend.im2col(window, x, cols);
        if (y == null || y.rows() != positions) {
            y = Buffers.ensure(backend, y, positions, filters);
            yImages = backend.view(y, x.rows(), window.positions() * filters);
        }
        backend.gemm(Transpose.NONE, Transpose.TRANSPOSE, 1f, cols, weights, 0f, y);
        backend.addRowVector(y, bias, y);
        return yImages;
    }

    /** dy (N, OH·OW·F) seen as (N·OH·OW, F): dW = dyᵀ·cols (F, KH·KW·C), db = Σ_rows dy, dx = col2im(dy·W) (N, H·W·C). */
    @Override
    public DeviceMatrix backward(DeviceMatrix dy, boolean inputGradient) {
        DeviceMatrix d = dyRows.of(backend, dy, y.rows(), filters);
        backend.gemm(Transpose.TRANSPOSE, Transpose.NONE, 1f, d, cols, 0f, weightsGrad);
        backend.reduce(Reduction.SUM, Axis.COLUMN, d, biasGrad);
        if (!inputGradient) {
            return null;
        }
        dCols = Buffers.ensure(backend, dCols, cols.rows(), cols.cols());
        backend.gemm(Transpose.NONE, Transpose.NONE, 1f, d, weights, 0f, dCols);
        dx = Buffers.ensure(backend, dx, dy.rows(), window.imageSize());
        backend.col2im(window, dCols, dx);
        return dx;
    }

    public int filters() {
        return filters;
    }

    public int kernel() {
        return kernel;
    }

    public int stride() {
        return stride;
    }

    public int padding() {
        return padding;
    }

    public Init init() {
        return init;
    }

    @Override
    public void close() {
        Buffers.close(weights, bias, weightsGrad, biasGrad, cols, y, dCols, dx);
    }

    @Override
    public String toString() {
        return "conv " + kernel + "x" + kernel + "x" + filters + (stride != 1 ? " stride " + stride : "")
                + (padding != 0 ? " pad " + padding : "");
    }
}
