;; The per-sample LSTM recurrence (lstm-sample-math.ts semantics) over f32x4 lanes, forward and backward.
;;
;; Hand-written WebAssembly text: the raw-audio model (25 units, 1 feature, up to 17,640 steps) spends
;; nearly all its training time in these loops, and scalar JS cannot use SIMD. Compiled at load time by
;; wabt (compile-wat.ts); all pointers are byte offsets into the imported memory, laid out by
;; WasmLstmKernel (wasm-lstm-kernel.ts).
;;
;; Units are padded to n4 = n rounded up to 4, so every gate segment and state row is whole f32x4 vectors:
;; a gate row holds 4 segments (i, f, g, o) of n4 columns, G = 4·n4 columns in all (always a multiple of 16,
;; so column loops run in blocks of 4 vectors). Padded columns have zero weights, so their units stay at
;; h = c = 0 and their gradients at 0. U has n rows (padded units' rows would only multiply h = 0).
;;
;;   W  d x G, U  n x G, b  G                  weights, f32
;;   act 3 x G: s, m, k per column            activation = m / (1 + exp(s·z)) + k: sigmoid (s -1, m 1, k 0)
;;                                            for i, f, o; tanh = 2·sigmoid(2z) - 1 (s -2, m 2, k -1) for g
;;   per active step kk (rows of a trace):    xs (d), gates (G), cells (n4), tanh(cells) (n4), hidden (n4)
(module
  (import "env" "memory" (memory 1))

  ;; exp on 4 lanes, Cephes expf: e^x = 2^k · e^r with k = round(x / ln2), r = x - k·ln2 (ln2 split in two
  ;; so k·C1 is exact), e^r by a degree-7 polynomial; ~1-2 ulp. The argument is clamped to ±87 so 2^k
  ;; stays a normal float (sigmoid and tanh saturate long before). pmin/pmax (one instruction each) with
  ;; x first let a NaN through, as Math.exp does.
  (func $exp (param $x v128) (result v128)
    (local $k v128) (local $z v128) (local $y v128)
    (local.set $x (f32x4.pmin
      (f32x4.pmax (local.get $x) (v128.const f32x4 -87 -87 -87 -87))
      (v128.const f32x4 87 87 87 87)))
    (local.set $k (f32x4.nearest (f32x4.mul (local.get $x)
      (v128.const f32x4 1.44269504088896341 1.44269504088896341 1.44269504088896341 1.44269504088896341))))
    (local.set $x (f32x4.sub (local.get $x) (f32x4.mul (local.get $k)
      (v128.const f32x4 0.693359375 0.693359375 0.693359375 0.693359375))))
    (local.set $x (f32x4.sub (local.get $x) (f32x4.mul (local.get $k)
      (v128.const f32x4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4))))
    (local.set $z (f32x4.mul (local.get $x) (local.get $x)))
    (local.set $y (v128.const f32x4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $x))
      (v128.const f32x4 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3)))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $x))
      (v128.const f32x4 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3)))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $x))
      (v128.const f32x4 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2)))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $x))
      (v128.const f32x4 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1)))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $x))
      (v128.const f32x4 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1)))
    (local.set $y (f32x4.add (f32x4.add (f32x4.mul (local.get $y) (local.get $z)) (local.get $x))
      (v128.const f32x4 1 1 1 1)))
    ;; 2^k: k + 127 in the exponent field
    (f32x4.mul (local.get $y)
      (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $k)) (v128.const i32x4 127 127 127 127))
        (i32.const 23))))

  ;; 1 / (1 + e^-x)
  (func $sigmoid (param $x v128) (result v128)
    (f32x4.div (v128.const f32x4 1 1 1 1)
      (f32x4.add (v128.const f32x4 1 1 1 1) (call $exp (f32x4.neg (local.get $x))))))

  ;; 2 / (1 + e^-2x) - 1: exact limits ±1 at the tails, no inf/inf
  (func $tanh (param $x v128) (result v128)
    (f32x4.sub
      (f32x4.div (v128.const f32x4 2 2 2 2)
        (f32x4.add (v128.const f32x4 1 1 1 1)
          (call $exp (f32x4.mul (local.get $x) (v128.const f32x4 -2 -2 -2 -2)))))
      (v128.const f32x4 1 1 1 1)))

  (func $hsum (param $v v128) (result f32)
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
      (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))

  ;; For tests: applies exp (kind 0), sigmoid (1) or tanh (2) in place to `count` floats (a multiple of 4).
  (func (export "activate") (param $p i32) (param $count i32) (param $kind i32)
    (local $end i32) (local $v v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $count) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $v (v128.load (local.get $p)))
        (if (i32.eqz (local.get $kind))
          (then (local.set $v (call $exp (local.get $v))))
          (else (if (i32.eq (local.get $kind) (i32.const 1))
            (then (local.set $v (call $sigmoid (local.get $v))))
            (else (local.set $v (call $tanh (local.get $v)))))))
        (v128.store (local.get $p) (local.get $v))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $next))))

  ;; Forward over K active steps. xs: K x d inputs; writes the trace rows gates, cells, ths (tanh of
  ;; cells) and hid (hidden states), K rows each. zero: n4 zero floats, the initial h and c.
  (func (export "forward")
    (param $K i32) (param $d i32) (param $n i32) (param $n4 i32)
    (param $wp i32) (param $up i32) (param $bp i32) (param $actp i32) (param $zero i32)
    (param $xs i32) (param $gates i32) (param $cells i32) (param $ths i32) (param $hid i32)
    (local $rowG i32) (local $rowN i32) (local $kk i32)
    (local $hprev i32) (local $cprev i32) (local $xrow i32) (local $grow i32) (local $srow i32)
    (local $jo i32) (local $q i32) (local $k i32) (local $p i32) (local $uo i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $v v128)
    (local $ig v128) (local $fg v128) (local $gg v128) (local $og v128) (local $c v128) (local $th v128)
    (local.set $rowN (i32.shl (local.get $n4) (i32.const 2)))
    (local.set $rowG (i32.shl (local.get $rowN) (i32.const 2)))
    (local.set $hprev (local.get $zero))
    (local.set $cprev (local.get $zero))
    (local.set $kk (i32.const 0))
    (block $stepsDone
      (loop $step
        (br_if $stepsDone (i32.ge_u (local.get $kk) (local.get $K)))
        (local.set $xrow (i32.add (local.get $xs) (i32.shl (i32.mul (local.get $kk) (local.get $d)) (i32.const 2))))
        (local.set $grow (i32.add (local.get $gates) (i32.mul (local.get $kk) (local.get $rowG))))
        (local.set $srow (i32.mul (local.get $kk) (local.get $rowN)))
        ;; z = b + x·W + h·U, 16 columns at a time, then the gate activations.
        (local.set $jo (i32.const 0))
        (block $colsDone
          (loop $cols
            (br_if $colsDone (i32.ge_u (local.get $jo) (local.get $rowG)))
            (local.set $p (i32.add (local.get $bp) (local.get $jo)))
            (local.set $a0 (v128.load offset=0 (local.get $p)))
            (local.set $a1 (v128.load offset=16 (local.get $p)))
            (local.set $a2 (v128.load offset=32 (local.get $p)))
            (local.set $a3 (v128.load offset=48 (local.get $p)))
            (local.set $q (i32.const 0))
            (block $inDone
              (loop $in
                (br_if $inDone (i32.ge_u (local.get $q) (local.get $d)))
                (local.set $v (f32x4.splat (f32.load (i32.add (local.get $xrow) (i32.shl (local.get $q) (i32.const 2))))))
                (local.set $p (i32.add (i32.add (local.get $wp) (i32.mul (local.get $q) (local.get $rowG))) (local.get $jo)))
                (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $v) (v128.load offset=0 (local.get $p)))))
                (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $v) (v128.load offset=16 (local.get $p)))))
                (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $v) (v128.load offset=32 (local.get $p)))))
                (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $v) (v128.load offset=48 (local.get $p)))))
                (local.set $q (i32.add (local.get $q) (i32.const 1)))
                (br $in)))
            (local.set $k (i32.const 0))
            (local.set $p (i32.add (local.get $up) (local.get $jo)))
            (block $recDone
              (loop $rec
                (br_if $recDone (i32.ge_u (local.get $k) (local.get $n)))
                (local.set $v (f32x4.splat (f32.load (i32.add (local.get $hprev) (i32.shl (local.get $k) (i32.const 2))))))
                (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $v) (v128.load offset=0 (local.get $p)))))
                (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $v) (v128.load offset=16 (local.get $p)))))
                (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $v) (v128.load offset=32 (local.get $p)))))
                (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $v) (v128.load offset=48 (local.get $p)))))
                (local.set $p (i32.add (local.get $p) (local.get $rowG)))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $rec)))
            ;; activation m / (1 + exp(s·z)) + k with s, m, k from act
            (local.set $p (i32.add (local.get $actp) (local.get $jo)))
            (local.set $a0 (f32x4.add (f32x4.div (v128.load offset=0 (i32.add (local.get $p) (local.get $rowG)))
              (f32x4.add (v128.const f32x4 1 1 1 1) (call $exp (f32x4.mul (local.get $a0) (v128.load offset=0 (local.get $p))))))
              (v128.load offset=0 (i32.add (local.get $p) (i32.shl (local.get $rowG) (i32.const 1))))))
            (local.set $a1 (f32x4.add (f32x4.div (v128.load offset=16 (i32.add (local.get $p) (local.get $rowG)))
              (f32x4.add (v128.const f32x4 1 1 1 1) (call $exp (f32x4.mul (local.get $a1) (v128.load offset=16 (local.get $p))))))
              (v128.load offset=16 (i32.add (local.get $p) (i32.shl (local.get $rowG) (i32.const 1))))))
            (local.set $a2 (f32x4.add (f32x4.div (v128.load offset=32 (i32.add (local.get $p) (local.get $rowG)))
              (f32x4.add (v128.const f32x4 1 1 1 1) (call $exp (f32x4.mul (local.get $a2) (v128.load offset=32 (local.get $p))))))
              (v128.load offset=32 (i32.add (local.get $p) (i32.shl (local.get $rowG) (i32.const 1))))))
            (local.set $a3 (f32x4.add (f32x4.div (v128.load offset=48 (i32.add (local.get $p) (local.get $rowG)))
              (f32x4.add (v128.const f32x4 1 1 1 1) (call $exp (f32x4.mul (local.get $a3) (v128.load offset=48 (local.get $p))))))
              (v128.load offset=48 (i32.add (local.get $p) (i32.shl (local.get $rowG) (i32.const 1))))))
            (local.set $p (i32.add (local.get $grow) (local.get $jo)))
            (v128.store offset=0 (local.get $p) (local.get $a0))
            (v128.store offset=16 (local.get $p) (local.get $a1))
            (v128.store offset=32 (local.get $p) (local.get $a2))
            (v128.store offset=48 (local.get $p) (local.get $a3))
            (local.set $jo (i32.add (local.get $jo) (i32.const 64)))
            (br $cols)))
        ;; c = f·c_prev + i·g; h = o·tanh(c), 4 units at a time.
        (local.set $uo (i32.const 0))
        (block $unitsDone
          (loop $units
            (br_if $unitsDone (i32.ge_u (local.get $uo) (local.get $rowN)))
            (local.set $p (i32.add (local.get $grow) (local.get $uo)))
            (local.set $ig (v128.load (local.get $p)))
            (local.set $p (i32.add (local.get $p) (local.get $rowN)))
            (local.set $fg (v128.load (local.get $p)))
            (local.set $p (i32.add (local.get $p) (local.get $rowN)))
            (local.set $gg (v128.load (local.get $p)))
            (local.set $p (i32.add (local.get $p) (local.get $rowN)))
            (local.set $og (v128.load (local.get $p)))
            (local.set $c (f32x4.add
              (f32x4.mul (local.get $fg) (v128.load (i32.add (local.get $cprev) (local.get $uo))))
              (f32x4.mul (local.get $ig) (local.get $gg))))
            (local.set $th (call $tanh (local.get $c)))
            (local.set $p (i32.add (local.get $srow) (local.get $uo)))
            (v128.store (i32.add (local.get $cells) (local.get $p)) (local.get $c))
            (v128.store (i32.add (local.get $ths) (local.get $p)) (local.get $th))
            (v128.store (i32.add (local.get $hid) (local.get $p)) (f32x4.mul (local.get $og) (local.get $th)))
            (local.set $uo (i32.add (local.get $uo) (i32.const 16)))
            (br $units)))
        (local.set $hprev (i32.add (local.get $hid) (local.get $srow)))
        (local.set $cprev (i32.add (local.get $cells) (local.get $srow)))
        (local.set $kk (i32.add (local.get $kk) (i32.const 1)))
        (br $step))))

  ;; Adds the f32 block sums of the weight gradients to their f64 totals and clears them: f32 sums over
  ;; a block of steps stay accurate, over 17,640 steps they would not.
  (func $flush (param $blk i32) (param $acc i32) (param $size i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $blk) (i32.shl (local.get $size) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $blk) (local.get $end)))
        (f64.store (local.get $acc) (f64.add (f64.load (local.get $acc)) (f64.promote_f32 (f32.load (local.get $blk)))))
        (f32.store (local.get $blk) (f32.const 0))
        (local.set $blk (i32.add (local.get $blk) (i32.const 4)))
        (local.set $acc (i32.add (local.get $acc) (i32.const 8)))
        (br $next))))

  ;; Backward over the K active steps of a trace, last to first (lstmBackwardSample). dhs: K x n4, the
  ;; output gradient reaching each active step's h; writes dxs (K x d). Scratch (n4 or G floats each):
  ;; dz, dcn and dhn (zeroed by the caller). gblk: f32 gradient block sums, layout W, U, b as the
  ;; weights, size floats, zero on entry and exit; gacc: their f64 totals, which this adds to.
  (func (export "backward")
    (param $K i32) (param $d i32) (param $n i32) (param $n4 i32)
    (param $wp i32) (param $up i32) (param $zero i32)
    (param $xs i32) (param $gates i32) (param $cells i32) (param $ths i32) (param $hid i32)
    (param $dhs i32) (param $dxs i32) (param $dz i32) (param $dcn i32) (param $dhn i32)
    (param $gblk i32) (param $gacc i32) (param $size i32) (param $blockSteps i32)
    (local $rowG i32) (local $rowN i32) (local $kk i32) (local $inBlock i32)
    (local $grow i32) (local $srow i32) (local $cprev i32) (local $hprev i32) (local $xrow i32)
    (local $uo i32) (local $jo i32) (local $q i32) (local $k i32) (local $p i32) (local $g i32) (local $w i32)
    (local $dbp i32) (local $dup i32)
    (local $dh v128) (local $ig v128) (local $fg v128) (local $gg v128) (local $og v128) (local $th v128)
    (local $dc v128) (local $v v128) (local $acc0 v128) (local $acc1 v128) (local $z0 v128) (local $z1 v128)
    (local $z2 v128) (local $z3 v128)
    (local.set $rowN (i32.shl (local.get $n4) (i32.const 2)))
    (local.set $rowG (i32.shl (local.get $rowN) (i32.const 2)))
    (local.set $dup (i32.add (local.get $gblk) (i32.mul (local.get $d) (local.get $rowG))))
    (local.set $dbp (i32.add (local.get $dup) (i32.mul (local.get $n) (local.get $rowG))))
    (local.set $kk (local.get $K))
    (local.set $inBlock (i32.const 0))
    (block $stepsDone
      (loop $step
        (br_if $stepsDone (i32.eqz (local.get $kk)))
        (local.set $kk (i32.sub (local.get $kk) (i32.const 1)))
        (local.set $grow (i32.add (local.get $gates) (i32.mul (local.get $kk) (local.get $rowG))))
        (local.set $srow (i32.mul (local.get $kk) (local.get $rowN)))
        (if (i32.eqz (local.get $kk))
          (then (local.set $cprev (local.get $zero)) (local.set $hprev (local.get $zero)))
          (else
            (local.set $cprev (i32.sub (i32.add (local.get $cells) (local.get $srow)) (local.get $rowN)))
            (local.set $hprev (i32.sub (i32.add (local.get $hid) (local.get $srow)) (local.get $rowN)))))
        ;; dz of the four gates, 4 units at a time.
        (local.set $uo (i32.const 0))
        (block $unitsDone
          (loop $units
            (br_if $unitsDone (i32.ge_u (local.get $uo) (local.get $rowN)))
            (local.set $dh (f32x4.add (v128.load (i32.add (local.get $dhn) (local.get $uo)))
              (v128.load (i32.add (i32.add (local.get $dhs) (local.get $srow)) (local.get $uo)))))
            (local.set $p (i32.add (local.get $grow) (local.get $uo)))
            (local.set $ig (v128.load (local.get $p)))
            (local.set $fg (v128.load (i32.add (local.get $p) (local.get $rowN))))
            (local.set $gg (v128.load (i32.add (local.get $p) (i32.shl (local.get $rowN) (i32.const 1)))))
            (local.set $og (v128.load (i32.add (local.get $p) (i32.mul (local.get $rowN) (i32.const 3)))))
            (local.set $th (v128.load (i32.add (i32.add (local.get $ths) (local.get $srow)) (local.get $uo))))
            (local.set $dc (f32x4.add (v128.load (i32.add (local.get $dcn) (local.get $uo)))
              (f32x4.mul (f32x4.mul (local.get $dh) (local.get $og))
                (f32x4.sub (v128.const f32x4 1 1 1 1) (f32x4.mul (local.get $th) (local.get $th))))))
            (v128.store (i32.add (local.get $dcn) (local.get $uo)) (f32x4.mul (local.get $dc) (local.get $fg)))
            (local.set $p (i32.add (local.get $dz) (local.get $uo)))
            (v128.store (local.get $p)
              (f32x4.mul (f32x4.mul (f32x4.mul (local.get $dc) (local.get $gg)) (local.get $ig))
                (f32x4.sub (v128.const f32x4 1 1 1 1) (local.get $ig))))
            (v128.store (i32.add (local.get $p) (local.get $rowN))
              (f32x4.mul (f32x4.mul (f32x4.mul (local.get $dc) (v128.load (i32.add (local.get $cprev) (local.get $uo))))
                (local.get $fg))
                (f32x4.sub (v128.const f32x4 1 1 1 1) (local.get $fg))))
            (v128.store (i32.add (local.get $p) (i32.shl (local.get $rowN) (i32.const 1)))
              (f32x4.mul (f32x4.mul (local.get $dc) (local.get $ig))
                (f32x4.sub (v128.const f32x4 1 1 1 1) (f32x4.mul (local.get $gg) (local.get $gg)))))
            (v128.store (i32.add (local.get $p) (i32.mul (local.get $rowN) (i32.const 3)))
              (f32x4.mul (f32x4.mul (f32x4.mul (local.get $dh) (local.get $th)) (local.get $og))
                (f32x4.sub (v128.const f32x4 1 1 1 1) (local.get $og))))
            (local.set $uo (i32.add (local.get $uo) (i32.const 16)))
            (br $units)))
        ;; db += dz
        (local.set $jo (i32.const 0))
        (block $dbDone
          (loop $db
            (br_if $dbDone (i32.ge_u (local.get $jo) (local.get $rowG)))
            (local.set $p (i32.add (local.get $dbp) (local.get $jo)))
            (local.set $g (i32.add (local.get $dz) (local.get $jo)))
            (v128.store offset=0 (local.get $p) (f32x4.add (v128.load offset=0 (local.get $p)) (v128.load offset=0 (local.get $g))))
            (v128.store offset=16 (local.get $p) (f32x4.add (v128.load offset=16 (local.get $p)) (v128.load offset=16 (local.get $g))))
            (v128.store offset=32 (local.get $p) (f32x4.add (v128.load offset=32 (local.get $p)) (v128.load offset=32 (local.get $g))))
            (v128.store offset=48 (local.get $p) (f32x4.add (v128.load offset=48 (local.get $p)) (v128.load offset=48 (local.get $g))))
            (local.set $jo (i32.add (local.get $jo) (i32.const 64)))
            (br $db)))
        ;; Rows of the input kernel (q < d, v = x_q, out dxs) then, unless this is the first active step,
        ;; of the recurrent kernel (k < n, v = h_prev[k], out dhn): dWrow += v·dz; out = Wrow·dz.
        (local.set $xrow (i32.add (local.get $xs) (i32.shl (i32.mul (local.get $kk) (local.get $d)) (i32.const 2))))
        (local.set $q (i32.const 0))
        (block $rowsDone
          (loop $rows
            (if (i32.lt_u (local.get $q) (local.get $d))
              (then
                (local.set $v (f32x4.splat (f32.load (i32.add (local.get $xrow) (i32.shl (local.get $q) (i32.const 2))))))
                (local.set $w (i32.add (local.get $wp) (i32.mul (local.get $q) (local.get $rowG))))
                (local.set $p (i32.add (local.get $gblk) (i32.mul (local.get $q) (local.get $rowG)))))
              (else
                (br_if $rowsDone (i32.eqz (local.get $kk)))
                (local.set $k (i32.sub (local.get $q) (local.get $d)))
                (br_if $rowsDone (i32.ge_u (local.get $k) (local.get $n)))
                (local.set $v (f32x4.splat (f32.load (i32.add (local.get $hprev) (i32.shl (local.get $k) (i32.const 2))))))
                (local.set $w (i32.add (local.get $up) (i32.mul (local.get $k) (local.get $rowG))))
                (local.set $p (i32.add (local.get $dup) (i32.mul (local.get $k) (local.get $rowG))))))
            (local.set $acc0 (v128.const f32x4 0 0 0 0))
            (local.set $acc1 (v128.const f32x4 0 0 0 0))
            (local.set $g (local.get $dz))
            (local.set $jo (i32.const 0))
            (block $colsDone
              (loop $cols
                (br_if $colsDone (i32.ge_u (local.get $jo) (local.get $rowG)))
                (local.set $z0 (v128.load offset=0 (local.get $g)))
                (local.set $z1 (v128.load offset=16 (local.get $g)))
                (local.set $z2 (v128.load offset=32 (local.get $g)))
                (local.set $z3 (v128.load offset=48 (local.get $g)))
                (v128.store offset=0 (local.get $p) (f32x4.add (v128.load offset=0 (local.get $p)) (f32x4.mul (local.get $v) (local.get $z0))))
                (v128.store offset=16 (local.get $p) (f32x4.add (v128.load offset=16 (local.get $p)) (f32x4.mul (local.get $v) (local.get $z1))))
                (v128.store offset=32 (local.get $p) (f32x4.add (v128.load offset=32 (local.get $p)) (f32x4.mul (local.get $v) (local.get $z2))))
                (v128.store offset=48 (local.get $p) (f32x4.add (v128.load offset=48 (local.get $p)) (f32x4.mul (local.get $v) (local.get $z3))))
                (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul (v128.load offset=0 (local.get $w)) (local.get $z0))))
                (local.set $acc1 (f32x4.add (local.get $acc1) (f32x4.mul (v128.load offset=16 (local.get $w)) (local.get $z1))))
                (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul (v128.load offset=32 (local.get $w)) (local.get $z2))))
                (local.set $acc1 (f32x4.add (local.get $acc1) (f32x4.mul (v128.load offset=48 (local.get $w)) (local.get $z3))))
                (local.set $g (i32.add (local.get $g) (i32.const 64)))
                (local.set $p (i32.add (local.get $p) (i32.const 64)))
                (local.set $w (i32.add (local.get $w) (i32.const 64)))
                (local.set $jo (i32.add (local.get $jo) (i32.const 64)))
                (br $cols)))
            (if (i32.lt_u (local.get $q) (local.get $d))
              (then (f32.store (i32.add (local.get $dxs) (i32.shl (i32.add (i32.mul (local.get $kk) (local.get $d)) (local.get $q)) (i32.const 2)))
                (call $hsum (f32x4.add (local.get $acc0) (local.get $acc1)))))
              (else (f32.store (i32.add (local.get $dhn) (i32.shl (local.get $k) (i32.const 2)))
                (call $hsum (f32x4.add (local.get $acc0) (local.get $acc1))))))
            (local.set $q (i32.add (local.get $q) (i32.const 1)))
            (br $rows)))
        (local.set $inBlock (i32.add (local.get $inBlock) (i32.const 1)))
        (if (i32.ge_u (local.get $inBlock) (local.get $blockSteps))
          (then
            (call $flush (local.get $gblk) (local.get $gacc) (local.get $size))
            (local.set $inBlock (i32.const 0))))
        (br $step)))
    (call $flush (local.get $gblk) (local.get $gacc) (local.get $size)))
)
