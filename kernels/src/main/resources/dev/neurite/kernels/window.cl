/*
 * Sliding-window ops over images stored one a row, channels last: image n is (H, W, C) and
 * element (h, w, c) sits at column (h·W + w)·C + c. Window: kernel KH x KW, stride S, padding P;
 * output OH = (H + 2P − KH) / S + 1, OW likewise. One work-item an output element, each a
 * gather (no atomics), so results do not depend on scheduling.
 */
#define POOL_MAX 0
#define POOL_AVERAGE 1

/* x (N, H·W·C) -> cols (N·OH·OW, KH·KW·C); work-item = element of cols; padding reads 0 */
KERNEL void im2col(int total, int C, int H, int W, int KH, int KW, int S, int P,
                   GLOBAL const float* x, GLOBAL float* cols) {
    int i = GLOBAL_ID(0);
    if (i < total) {
        int OH = (H + 2 * P - KH) / S + 1;
        int OW = (W + 2 * P - KW) / S + 1;
        int patch = KH * KW * C;
        int row = i / patch;
        int col = i - row * patch;
        int c = col % C;
        int kw = (col / C) % KW;
        int kh = col / (C * KW);
        int ow = row % OW;
        int oh = (row / OW) % OH;
        int n = row / (OW * OH);
        int h = oh * S - P + kh;
        int w = ow * S - P + kw;
        cols[i] = (h >= 0 && h < H && w >= 0 && w < W) ? x[n * H * W * C + (h * W + w) * C + c] : 0.0f;
    }
}

/* cols (N·OH·OW, KH·KW·C) -> x (N, H·W·C); work-item = element of x, summing every patch entry that read it */
KERNEL void col2im(int total, int C, int H, int W, int KH, int KW, int S, int P,
                   GLOBAL const float* cols, GLOBAL float* x) {
    int i = GLOBAL_ID(0);
    if (i < total) {
        int OH = (H + 2 * P - KH) / S + 1;
        int OW = (W + 2 * P - KW) / S + 1;
        int patch = KH * KW * C;
        int c = i % C;
        int w = (i / C) % W;
        int h = (i / (C * W)) % H;
        int n = i / (C * W * H);
        float sum = 0.0f;
        for (int kh = 0; kh < KH; kh++) {
            int th = h + P - kh;
            if (th < 0 || th % S != 0 || th / S >= OH) {
                continue;
            }
            for (int kw = 0; kw < KW; kw++) {
                int tw = w + P - kw;
                if (tw < 0 || tw % S != 0 || tw / S >= OW) {
                    continue;
                }
                sum += cols[((n * OH + th / S) * OW + tw / S) * patch + (kh * KW + kw) * C + c];
            }
        }
        x[i] = sum;
    }
}

/* Column in x of the first largest input of window (oh, ow), channel c, image n (padding never wins). */
DEVICE int pool_argmax(GLOBAL const float* x, int n, int c, int oh, int ow, int C, int H, int W, int KH, int KW,
                       int S, int P) {
    int best = -1;
    float top = 0.0f;
    for (int kh = 0; kh < KH; kh++) {
        int h = oh * S - P + kh;
        for (int kw = 0; kw < KW; kw++) {
            int w = ow * S - P + kw;
            if (h >= 0 && h < H && w >= 0 && w < W) {
                int at = (h * W + w) * C + c;
                float v = x[n * H * W * C + at];
                if (best < 0 || v > top) {
                    best = at;
                    top = v;
                }
            }
        }
    }
    return best;
}

/* x (N, H·W·C) -> y (N, OH·OW·C); work-item = element of y */
KERNEL void pool_forward(int kind, int total, int C, int H, int W, int KH, int KW, int S, int P,
                         GLOBAL const float* x, GLOBAL float* y) {
    int i = GLOBAL_ID(0);
    if (i < total) {
        int OH = (H + 2 * P - KH) / S + 1;
        int OW = (W + 2 * P - KW) / S + 1;
        int c = i % C;
        int ow = (i / C) % OW;
        int oh = (i / (C * OW)) % OH;
        int n = i / (C * OW * OH);
        if (kind == POOL_MAX) {
            y[i] = x[n * H * W * C + pool_argmax(x, n, c, oh, ow, C, H, W, KH, KW, S, P)];
        } else {
            float sum = 0.0f;
            for (int kh = 0; kh < KH; kh++) {
                int h = oh * S - P + kh;
                for (int kw = 0; kw < KW; kw++) {
                    int w = ow * S - P + kw;
                    if (h >= 0 && h < H && w >= 0 && w < W) {
                        sum += x[n * H * W * C + (h * W + w) * C + c];
                    }
                }
            }
            y[i] = sum / (float) (KH * KW);
        }
    }
}

/* x (N, H·W·C), dy (N, OH·OW·C) -> dx (N, H·W·C); work-item = element of dx, gathering over its windows */
KERNEL void pool_backward(int kind, int total, int C, int H, int W, int KH, int KW, int S, int P,
                          GLOBAL const float* x, GLOBAL const float* dy, GLOBAL float* dx) {
    int i = GLOBAL_ID(0);
    if (i < total) {
        int OH = (H + 2 * P - KH) / S + 1;
        int OW = (W + 2 * P - KW) / S + 1;
        int c = i % C;
        int w = (i / C) % W;
        int h = (i / (C * W)) % H;
        int n = i / (C * W * H);
        int at = (h * W + w) * C + c;
        float sum = 0.0f;
        for (int kh = 0; kh < KH; kh++) {
            int th = h + P - kh;
            if (th < 0 || th % S != 0 || th / S >= OH) {
                continue;
            }
            for (int kw = 0; kw < KW; kw++) {
                int tw = w + P - kw;
                if (tw < 0 || tw % S != 0 || tw / S >= OW) {
                    continue;
                }
                int oh = th / S;
                int ow = tw / S;
                float g = dy[((n * OH + oh) * OW + ow) * C + c];
                if (kind == POOL_AVERAGE) {
                    sum += g / (float) (KH * KW);
                } else if (pool_argmax(x, n, c, oh, ow, C, H, W, KH, KW, S, P) == at) {
                    sum += g;
                }
            }
        }
        dx[i] = sum;
    }
}
