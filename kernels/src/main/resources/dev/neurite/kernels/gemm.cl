/*
 * Matrix multiply, C = alpha · op(A) · op(B) + beta · C:
 * op(A) (M,K) · op(B) (K,N) -> C (M,N), all row-major; ta/tb = 1 reads A/B transposed
 * (A stored (K,M), B stored (N,K)). beta == 0 never reads C.
 *
 * Tiled: a work-group of (TSN/WPTN, TSM/WPTM) work-items computes a TSM x TSN tile of C, each
 * work-item WPTM x WPTN outputs in registers; K advances TSK at a time through local memory.
 * Edge tiles load zeros past M, N, K and store only inside C.
 */
#ifndef TSM
#define TSM 64
#endif
#ifndef TSN
#define TSN 64
#endif
#ifndef TSK
#define TSK 16
#endif
#ifndef WPTM
#define WPTM 4
#endif
#ifndef WPTN
#define WPTN 4
#endif
#define RTSM (TSM / WPTM)
#define RTSN (TSN / WPTN)
#define THREADS (RTSM * RTSN)

KERNEL void gemm(int M, int N, int K, float alpha, GLOBAL const float* A, int ta,
                 GLOBAL const float* B, int tb, float beta, GLOBAL float* C) {
    LOCAL float As[TSK][TSM];
    LOCAL float Bs[TSK][TSN];
    int tidn = LOCAL_ID(0);
    int tidm = LOCAL_ID(1);
    int tid = tidm * RTSN + tidn;
    int offM = GROUP_ID(1) * TSM;
    int offN = GROUP_ID(0) * TSN;
    float acc[WPTM][WPTN];
    for (int wm = 0; wm < WPTM; wm++) {
        for (int wn = 0; wn < WPTN; wn++) {
            acc[wm][wn] = 0.0f;
        }
    }
    for (int t = 0; t < K; t += TSK) {
        /* As[k][m] = op(A)[offM + m, t + k] */
        for (int idx = tid; idx < TSK * TSM; idx += THREADS) {
            int k = ta ? idx / TSM : idx % TSK;
            int m = ta ? idx % TSM : idx / TSK;
            int gm = offM + m;
            int gk = t + k;
            As[k][m] = (gm < M && gk < K) ? (ta ? A[gk * M + gm] : A[gm * K + gk]) : 0.0f;
        }
        /* Bs[k][n] = op(B)[t + k, offN + n] */
        for (int idx = tid; idx < TSK * TSN; idx += THREADS) {
            int k = tb ? idx % TSK : idx / TSN;
            int n = tb ? idx / TSK : idx % TSN;
            int gn = offN + n;
            int gk = t + k;
            Bs[k][n] = (gn < N && gk < K) ? (tb ? B[gn * K + gk] : B[gk * N + gn]) : 0.0f;
        }
        BARRIER();
        for (int k = 0; k < TSK; k++) {
            float b[WPTN];
            for (int wn = 0; wn < WPTN; wn++) {
                b[wn] = Bs[k][tidn + wn * RTSN];
            }
            for (int wm = 0; wm < WPTM; wm++) {
                float a = As[k][tidm + wm * RTSM];
                for (int wn = 0; wn < WPTN; wn++) {
                    acc[wm][wn] += a * b[wn];
                }
            }
        }
        BARRIER();
    }
    for (int wm = 0; wm < WPTM; wm++) {
        int gm = offM + tidm + wm * RTSM;
        for (int wn = 0; wn < WPTN; wn++) {
            int gn = offN + tidn + wn * RTSN;
            if (gm < M && gn < N) {
                float v = alpha * acc[wm][wn];
                C[gm * N + gn] = beta == 0.0f ? v : v + beta * C[gm * N + gn];
            }
        }
    }
}
