package dev.neurite.examples.customlayer;

import dev.neurite.nn.*;

/**
 * Saves and loads {@link PReLU} in model files. Neurite finds it through
 * {@code META-INF/services/dev.neurite.nn.LayerCodec}, which names this class (so it is public,
 * with the implicit public no-argument constructor). The learned slopes are saved by the model
 * file itself; the codec keeps the setting the layer was made with.
 */
public final class PReLUCodec implements LayerCodec<PReLU> {
    @Override
    public String code() { return "dev.neurite.examples.prelu"; }    // stored in model files: never change it

    @Override
    public Class<PReLU> type() { return PReLU.class; }

    @Override
    public void write(PReLU layer, LayerSettings out) { out.put("initial-slope", layer.initialSlope()); }

    @Override
    public PReLU read(LayerSettings in) { return new PReLU(in.decimal("initial-slope")); }
}
