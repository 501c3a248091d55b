package dev.neurite.nn;

/**
 * Layer descriptions of model-file versions 1 and 2, translated to codec codes and settings:
 * an int8 kind, then settings where initializations and poolings are enum ordinals as the enums
 * stood when those versions were written (Init: NORMAL, XAVIER, HE; Pooling: MAX, AVERAGE).
 */
final class LegacyLayers {
    private static final String[] INIT = {"normal", "xavier", "he"};
    private static final String[] POOLING = {"max", "average"};

    private LegacyLayers() {
    }

    static NetworkSection.Spec read(ModelReader r, String field, int version) throws MalformedDataException {
        byte kind = r.int8(field + " kind");
        int kinds = version == 1 ? 2 : 8;
        if (kind < 1 || kind > kinds) {
            throw r.fault(field + " kind", kind + " is not a layer kind of version " + version + " (1 to " + kinds + ")");
        }
        LayerSettings s = new LayerSettings();
        String code = switch (kind) {
            case 1 -> {
                s.put("width", r.int32(field + " (dense) width")).put("init", ordinal(r, field + " (dense) init", INIT));
                yield "dense";
            }
            case 2 -> {
                s.put("function", r.utf(field + " (activation) function"));
                yield "activation";
            }
            case 3 -> {
                String f = field + " (conv2d) ";
                s.put("filters", r.int32(f + "filters")).put("kernel", r.int32(f + "kernel"))
                        .put("stride", r.int32(f + "stride")).put("padding", r.int32(f + "padding"))
                        .put("init", ordinal(r, f + "init", INIT));
                yield "conv2d";
            }
            case 4 -> {
                String f = field + " (pool2d) ";
                s.put("kind", ordinal(r, f + "kind", POOLING)).put("size", r.int32(f + "size"))
                        .put("stride", r.int32(f + "stride"));
                yield "pool2d";
            }
            case 5 -> "flatten";
            case 6 -> {
                s.put("rate", r.float32(field + " (dropout) rate"));
                yield "dropout";
            }
            case 7 -> "batch-norm";
            default -> {
                s.put("pieces", r.int32(field + " (maxout) pieces"));
                yield "maxout";
            }
        };
        return new NetworkSection.Spec(code, s);
    }

    private static String ordinal(ModelReader r, String field, String[] codes) throws MalformedDataException {
        byte i = r.int8(field);
        if (i < 0 || i >= codes.length) {
            throw r.fault(field, i + " is not one of the " + codes.length + " known in that version");
        }
        return codes[i];
    }
}
