package com.example.layers;

import dev.neurite.backend.Backend;
import dev.neurite.backend.DeviceMatrix;
import dev.neurite.nn.Binding;
import dev.neurite.nn.Buffers;
import dev.neurite.nn.Layer;
import dev.neurite.nn.LayerCodec;
import dev.neurite.nn.LayerSettings;
import dev.neurite.nn.Shape;

/** y = s·x: a parameter-free layer whose codec is registered in code. */
public final class Scaled implements Layer {
    private final float s;
    private Backend backend;
    private DeviceMatrix y;
    private DeviceMatrix dx;

    public Scaled(float s) {
        this.s = s;
    }

    /** The codec, for LayerCodecs.register. */
    public static LayerCodec<Scaled> codec() {
        return new LayerCodec<>() {
            public String code() {
                return "com.example.scaled";
            }

            public Class<Scaled> type() {
                return Scaled.class;
            }

            public void write(Scaled layer, LayerSettings out) {
                out.put("s", layer.s);
            }

            public Scaled read(LayerSettings in) {
                return new Scaled(in.decimal("s"));
            }
        };
    }

    @Override
    public Shape bind(Binding binding, Shape in) {
        backend = binding.backend();
        return in;
    }

    @Override
    public DeviceMatrix forward(DeviceMatrix x, boolean training) {
        y = Buffers.ensure(backend, y, x.rows(), x.cols());
        backend.scale(s, x, y);
        return y;
    }

    @Override
    public DeviceMatrix backward(DeviceMatrix dy, boolean inputGradient) {
        if (!inputGradient) {
            return null;
        }
        dx = Buffers.ensure(backend, dx, dy.rows(), dy.cols());
        backend.scale(s, dy, dx);
        return dx;
    }

    @Override
    public void close() {
        Buffers.close(y, dx);
    }

    @Override
    public String toString() {
        return "scaled " + s;
    }
}
