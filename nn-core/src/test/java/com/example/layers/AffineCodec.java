package com.example.layers;

import dev.neurite.nn.LayerCodec;
import dev.neurite.nn.LayerSettings;

/** Found by ServiceLoader through META-INF/services/dev.neurite.nn.LayerCodec. */
public final class AffineCodec implements LayerCodec<Affine> {
    @Override
    public String code() {
        return "com.example.affine";
    }

    @Override
    public Class<Affine> type() {
        return Affine.class;
    }

    @Override
    public void write(Affine layer, LayerSettings out) {
        out.put("shift", layer.shift());
    }

    @Override
    public Affine read(LayerSettings in) {
        return new Affine(in.decimal("shift"));
    }
}
