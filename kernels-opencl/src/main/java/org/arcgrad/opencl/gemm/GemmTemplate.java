package org.arcgrad.opencl.gemm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders OpenCL C for C[M×N] = op(A)·op(B) in fp32, op = identity or transpose, with an
 * epilogue applied to every value before it is stored.
 *
 * <h2>Use</h2>
 * <pre>{@code
 * GemmParams p = GemmDefaults.forDevice(DeviceLimits.of(device.info()), GemmVariant.NT);
 * GemmKernel k = GemmTemplate.render(GemmVariant.NT, p, Epilogue.of("acc * s", "const float s"));
 * // build k.source(); set args M, N, K, A, lda, B, ldb, C, ldc, s; launch k.globalSize(M, N) with k.localSize()
 * // (or let CompiledGemm do all that)
 * }</pre>
 *
 * <h2>Structure of a rendered kernel</h2>
 * <ol>
 *   <li><b>Problem aliases</b> ({@link KernelProblem}): the body computes P×Q = L·R. For NN, NT
 *   and TN that is A·B as stored; TT is computed as Cᵀ = B·A (an NN product) and written
 *   transposed, so only three memory layouts ever reach the inner loop.</li>
 *   <li><b>Tile walk</b>: one work-group per MWG×NWG tile of the product. By default group
 *   (x, y) takes column tile x and row tile y; with {@code rowTilesFirst} the linear group index
 *   walks down the row tiles first (a CPU then keeps a panel of B hot in cache while A
 *   streams). An output stage that reduces along rows makes each group loop over its share of
 *   the column tiles of its row tile instead (every get_num_groups(0)-th tile, all of them with
 *   one group along N); row indices are declared before that loop, the register tile, epilogue
 *   and output inside it.</li>
 *   <li><b>Register tile</b> ({@link RegisterTile}): each work-item accumulates MWI×NWI values in
 *   registers, fully unrolled (named variables, not arrays: PoCL/LLVM would otherwise keep
 *   arrays in memory). Three forms: {@link DirectOuterProduct} (R contiguous along Q, read from
 *   global memory: CPUs), {@link DirectDotProduct} (NT: both operands contiguous along K, vector
 *   partial sums along K: CPUs), {@link LocalOuterProduct} (tiles staged in local memory with
 *   coalesced copies: GPUs).</li>
 *   <li><b>Epilogue</b>: a function {@code <kernel name>_epilogue(row, col, acc, ...)} of the
 *   user's expression, called once per element with C's coordinates.</li>
 *   <li><b>Output stage</b> ({@link OutputStage}): consumes each value; {@link StoreOutput}
 *   writes C. The fused row reduction is another ({@link RowFoldOutput}, {@link #renderRowFold}):
 *   per-row running values in registers (a max, a sum, an online sum of exp), one set per row
 *   slot of the work-item, each value folded in after the epilogue, the column-tile loop above;
 *   the NDIMC work-items sharing a row combine theirs in local memory at the end, and each
 *   work-group writes its partials for a later kernel to merge. A fold over centres
 *   ({@link RowFold#centres}) runs the register tile once per centre inside the column tile and
 *   folds each class's max over them.</li>
 * </ol>
 *
 * <h2>Edges: bounds handling, not padding</h2>
 * Any M, N, K ≥ 1 works with any parameters. Reads past an edge are clamped to the last row or
 * column (direct forms) or replaced by zeros while copying to local memory (local form); K is
 * covered by remainder loops (direct) or zero-filled slices (local); stores are guarded by
 * {@code row < M && col < N}. Padding would have meant copying the caller's buffers into padded
 * ones on every call (or imposing padded layouts on everything upstream), which a fused kernel
 * reading W in place cannot afford; the cost of bounds handling is one uniform branch and a few
 * {@code min}s per work-item, outside the inner loop.
 */
public final class GemmTemplate {

    private GemmTemplate() {
    }

    /** Renders the plain GEMM (C is stored) for {@code variant} with {@code params} and {@code epilogue}. */
    public static GemmKernel render(GemmVariant variant, GemmParams params, Epilogue epilogue) {
        return render(variant, params, epilogue, "arcgrad_gemm_" + variant.name().toLowerCase(Locale.ROOT));
    }

    /**
     * Same, with the kernel named {@code name}; its helper functions take {@code name} as prefix,
     * so kernels of different names can be concatenated into one program.
     */
    public static GemmKernel render(GemmVariant variant, GemmParams params, Epilogue epilogue, String name) {
        return render(variant, params, epilogue, name, new StoreOutput());
    }

    /**
     * The plain GEMM, storing one slice of K per work-group layer ({@link SplitK}): work-group
     * (x, y, z) computes its tile of op(A)[:, z·KS, (z+1)·KS) · op(B)[z·KS, (z+1)·KS), :) into
     * C + z·M·ldc. Arguments: {@code M, N, K_all, KS, A, lda, B, ldb, C, ldc}; launch
     * {@link SplitK#globalSize} with {@link SplitK#localSize}. A sum over z finishes the product.
     */
    public static GemmKernel renderSplitK(GemmVariant variant, GemmParams params, String name) {
        return render(variant, params, Epilogue.identity(), name, new StoreOutput(), true);
    }

    /**
     * The product folded into per-row partial results ({@link RowFold}) instead of (or besides)
     * being stored: arguments {@code M, N, K, A, lda, B, ldb}, then C and ldc where the fold stores
     * C, then the partials and the fold's own parameters. Launch
     * {@link GemmKernel#globalSize(int, int, int)} with the splits of the columns, and
     * {@link GemmKernel#localSize}: each work-group walks every splits-th column tile of its rows.
     */
    public static GemmKernel renderRowFold(GemmVariant variant, GemmParams params, String name, RowFold fold) {
        // the fold function goes before the kernel, as an epilogue's helpers do
        return render(variant, params, Epilogue.identity().withPreamble(fold.source()), name, new RowFoldOutput(fold, params.ndimc(), params.mdimc()));
    }

    static GemmKernel render(GemmVariant variant, GemmParams params, Epilogue epilogue, String name, OutputStage output) {
        return render(variant, params, epilogue, name, output, false);
    }

    private static GemmKernel render(GemmVariant variant, GemmParams params, Epilogue epilogue, String name, OutputStage output,
                                     boolean splitK) {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("kernel name '" + name + "' is not a C identifier");
        }
        KernelProblem problem = KernelProblem.of(variant);
        if (output.walksAllColumnTiles() && problem.swapped()) {
            throw new IllegalArgumentException("row reductions need C's rows to be the kernel's rows; TT computes C^T");
        }
        int centres = output instanceof RowFoldOutput fold ? fold.centres() : 1;
        if (centres > 1 && problem.rightQContiguous()) {
            throw new IllegalArgumentException("a fold over " + centres + " centres reads B's rows as the product's columns (NT), not " + variant);
        }
        RegisterTile tile = RegisterTile.choose(params, problem);
        tile.functionPrefix = name;

        if (splitK && output.walksAllColumnTiles()) {
            throw new IllegalArgumentException("a split-K kernel stores partial products; a row reduction needs whole ones");
        }
        List<String> declarations = new ArrayList<>(splitK ? List.of("const int M", "const int N", "const int K_all", "const int KS")
                : List.of("const int M", "const int N", "const int K"));
        declarations.addAll(List.of(
            "const __global float* restrict A", "const int lda",
            "const __global float* restrict B", "const int ldb"));
        declarations.addAll(output.kernelParameters());
        declarations.addAll(epilogue.parameters());
        List<String> argumentNames = declarations.stream().map(Epilogue::parameterName).toList();

        SourceWriter w = new SourceWriter();
        w.line("// arcgrad GEMM " + variant + ": C = " + (variant.transposeA() ? "A^T" : "A") + " * "
            + (variant.transposeB() ? "B^T" : "B") + "; " + params);
        if (tile instanceof DirectDotProduct) {
            w.line(Vectors.horizontalSumHelpers(name, params.vwk()).stripTrailing());
        }
        if (!epilogue.preamble().isEmpty()) {
            w.line(epilogue.preamble().stripTrailing());
        }
        renderEpilogueFunction(w, epilogue, name);
        w.line("__kernel __attribute__((reqd_work_group_size(" + params.ndimc() + ", " + params.mdimc() + ", 1)))");
        w.open("void " + name + "(" + String.join(", ", declarations) + ")");
        tile.renderKernelScope(w);
        problem.renderAliases(w, centres);
        if (splitK) {
            renderSlice(w, problem);
        }
        w.line("const int tn = get_local_id(0), tm = get_local_id(1);");
        renderTileWalk(w, params, output.walksAllColumnTiles());
        tile.renderRowIndices(w);
        output.renderBeforeTiles(w, params.mwi());
        if (output.walksAllColumnTiles()) {
            w.line("// Each work-group walks its share of the column tiles of its rows (row reductions in the output stage):");
            w.line("// every get_num_groups(0)-th tile, from its own; all of them when there is one group along the columns.");
            w.open("for (int tileQ = get_group_id(0) * " + params.nwg() + "; tileQ < Q; tileQ += get_num_groups(0) * " + params.nwg() + ")");
        } else {
            w.open("");
        }
        EpilogueCall call = new EpilogueCall(name + "_epilogue", epilogue.parameterNames(), epilogue.isIdentity());
        if (centres > 1) {
            renderCentres(w, tile, problem, call, (RowFoldOutput) output);
        } else {
            tile.render(w);
            renderOutput(w, tile, problem, call, output);
        }
        w.close();
        output.renderAfterTiles(w, params.mwi());
        w.close();
        return new GemmKernel(w.toString(), name, variant, params, epilogue, argumentNames, output.walksAllColumnTiles());
    }

    /**
     * Narrows the product to the work-group layer's slice of K: L and R start at its first step,
     * K is its length, and C moves to the layer's own M×N block of the partial products.
     */
    private static void renderSlice(SourceWriter w, KernelProblem problem) {
        w.line("// Split K: this layer of work-groups computes the product over one slice of K, into its own block of C.");
        w.line("const int kFirst = get_group_id(2) * KS;");
        w.line("const int K = min(KS, K_all - kFirst);");
        w.line("L += " + (problem.leftKContiguous() ? "kFirst" : "(size_t)kFirst * ldl") + ";");
        w.line("R += " + (problem.rightQContiguous() ? "(size_t)kFirst * ldr" : "kFirst") + ";");
        w.line("C += (size_t)get_group_id(2) * M * ldc;");
    }

    private static void renderEpilogueFunction(SourceWriter w, Epilogue epilogue, String kernelName) {
        List<String> params = new ArrayList<>(List.of("const int row", "const int col", "const float acc"));
        params.addAll(epilogue.parameters());
        w.open("float " + kernelName + "_epilogue(" + String.join(", ", params) + ")");
        w.line("return (" + epilogue.expression() + ");");
        w.close();
    }

    private static void renderTileWalk(SourceWriter w, GemmParams params, boolean columnLoop) {
        if (columnLoop) {
            w.line("const int tileP = get_group_id(1) * " + params.mwg() + ";");
        } else if (params.rowTilesFirst()) {
            w.line("// Row tiles first: consecutive work-groups share a column tile (a panel of R stays in cache).");
            w.line("const int group = get_group_id(0) + get_group_id(1) * get_num_groups(0);");
            w.line("const int tileP = (group % get_num_groups(1)) * " + params.mwg() + ";");
            w.line("const int tileQ = (group / get_num_groups(1)) * " + params.nwg() + ";");
        } else {
            w.line("const int tileP = get_group_id(1) * " + params.mwg() + ";");
            w.line("const int tileQ = get_group_id(0) * " + params.nwg() + ";");
        }
    }

    /**
     * The column tile of a fold over centres ({@link RowFold#centres}): the register tile once per
     * centre, over B from row {@code centre} (R's row stride is K·ldb), each centre's product
     * stored at its own column of C and maxed into registers of its own, element by element (any
     * tile form); after the last centre the maxima go to the fold's output stage, which stores them
     * in CM and folds them. The loop's trip count is the same for every work-item, so the tiles'
     * barriers inside it are reached by all.
     */
    private static void renderCentres(SourceWriter w, RegisterTile tile, KernelProblem problem, EpilogueCall epilogue,
                                      RowFoldOutput output) {
        record Element(int row, int slot, int lane, String max) {
        }
        List<Element> elements = new ArrayList<>();
        for (int i = 0; i < tile.params.mwi(); i++) {
            for (int j = 0; j < tile.columnSlots(); j++) {
                for (int lane = 0; lane < tile.lanes(); lane++) {
                    elements.add(new Element(i, j, lane, "cmax" + i + "_" + j + "_" + lane));
                }
            }
        }
        w.line("float " + String.join(", ", elements.stream().map(e -> e.max() + " = -INFINITY").toList()) + ";");
        w.open("for (int centre = 0; centre < " + output.centres() + "; centre++)");
        w.line("const __global float* restrict R = B + (size_t)centre * ldb;");
        tile.render(w);
        renderOutput(w, tile, problem, epilogue, output.centreStore());
        w.line("// the running max over the centres, NaN if any is NaN (the MAX op's rule, as the compiler's reductions spell it)");
        for (Element e : elements) {
            String v = tile.value(e.row(), e.slot(), e.lane());
            w.line(e.max() + " = ((" + e.max() + ">=" + v + "||isnan(" + e.max() + "))?" + e.max() + ":" + v + ");");
        }
        w.open("if (centre == " + (output.centres() - 1) + ")");
        for (Element e : elements) {
            String p = tile.row(e.row());
            String q = tile.column(e.slot(), e.lane());
            w.open("if (" + p + " < P && " + q + " < Q)");
            output.renderConsume(w, e.row(), p, q, e.max());
            w.close();
        }
        w.close();
        w.close();
    }

    private static void renderOutput(SourceWriter w, RegisterTile tile, KernelProblem problem, EpilogueCall epilogue,
                                     OutputStage output) {
        GemmParams params = tile.params;
        if (tile.lanes() > 1 && !problem.swapped()) {
            // Whole tile inside C: each accumulator vector is a run of consecutive columns of one row.
            w.open("if (tileP + " + params.mwg() + " <= P && tileQ + " + params.nwg() + " <= Q)");
            for (int i = 0; i < params.mwi(); i++) {
                for (int j = 0; j < tile.columnSlots(); j++) {
                    String[] values = new String[tile.lanes()];
                    if (epilogue.identity()) {
                        for (int lane = 0; lane < values.length; lane++) {
                            values[lane] = tile.value(i, j, lane);
                        }
                        output.renderConsumeRun(w, i, tile.row(i), tile.column(j, 0), values);
                    } else {
                        // A loop over the lanes rather than VWN inlined copies of the epilogue: same
                        // code after LLVM vectorizes it, a fraction of PoCL's compile time.
                        w.open("");
                        w.line("float lanes[" + values.length + "];");
                        w.line("vstore" + values.length + "(" + tile.acc(i, j) + ", 0, lanes);");
                        w.open("for (int v = 0; v < " + values.length + "; ++v)");
                        w.line("lanes[v] = " + epilogue.call(tile.row(i), "(" + tile.column(j, 0) + " + v)", "lanes[v]") + ";");
                        w.close();
                        for (int lane = 0; lane < values.length; lane++) {
                            values[lane] = "lanes[" + lane + "]";
                        }
                        output.renderConsumeRun(w, i, tile.row(i), tile.column(j, 0), values);
                        w.close();
                    }
                }
            }
            w.reopen("else");
            renderGuardedOutput(w, tile, problem, epilogue, output);
            w.close();
        } else {
            renderGuardedOutput(w, tile, problem, epilogue, output);
        }
    }

    /**
     * One element at a time, each behind {@code p < P && q < Q}: edge tiles, the dot form, and TT.
     * Vector accumulators are spilled to a private array and walked by a loop, which keeps the
     * source (and PoCL's compile time) small; this path only runs on edge tiles.
     */
    private static void renderGuardedOutput(SourceWriter w, RegisterTile tile, KernelProblem problem, EpilogueCall epilogue,
                                            OutputStage output) {
        int lanes = tile.lanes();
        for (int i = 0; i < tile.params.mwi(); i++) {
            for (int j = 0; j < tile.columnSlots(); j++) {
                String p = tile.row(i);
                if (lanes == 1) {
                    String q = tile.column(j, 0);
                    w.open("if (" + p + " < P && " + q + " < Q)");
                    String row = problem.rowOfC(p, q);
                    String col = problem.colOfC(p, q);
                    output.renderConsume(w, i, row, col, epilogue.call(row, col, tile.value(i, j, 0)));
                    w.close();
                } else {
                    w.open("if (" + p + " < P)");
                    w.line("float lanes[" + lanes + "];");
                    w.line("vstore" + lanes + "(" + tile.acc(i, j) + ", 0, lanes);");
                    w.open("for (int v = 0; v < " + lanes + " && " + tile.column(j, 0) + " + v < Q; ++v)");
                    String q = "(" + tile.column(j, 0) + " + v)";
                    String row = problem.rowOfC(p, q);
                    String col = problem.colOfC(p, q);
                    output.renderConsume(w, i, row, col, epilogue.call(row, col, "lanes[v]"));
                    w.close();
                    w.close();
                }
            }
        }
    }

    /** How the output code calls the rendered epilogue function. */
    private record EpilogueCall(String function, List<String> extraArguments, boolean identity) {
        String call(String row, String col, String acc) {
            StringBuilder c = new StringBuilder(function).append('(').append(row).append(", ").append(col).append(", ").append(acc);
            for (String name : extraArguments) {
                c.append(", ").append(name);
            }
            return c.append(')').toString();
        }
    }
}
