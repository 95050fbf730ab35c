import * as tf from '@tensorflow/tfjs';
import { initBackend } from './backend/init-backend';
import { lstmStepOp } from './lstm/lstm-step-op';
(async () => {
  await initBackend({ prefer: 'wasm', log: () => {} });
  const B=16,T=64,d=35,n=256;
  const x = tf.randomNormal([B,T,d]); const W = tf.randomNormal([d,4*n],0,0.1); const U = tf.randomNormal([n,4*n],0,0.05); const b = tf.zeros([4*n]);
  const opts = {units:n, returnSequences:true};
  for (let rep=0;rep<3;rep++){
    let t0=performance.now();
    tf.tidy(()=>lstmStepOp(x,W,U,b,null,opts).dataSync());
    const tf1=performance.now()-t0;
    t0=performance.now();
    tf.tidy(()=>{ const g = tf.grads((xx: tf.Tensor,ww: tf.Tensor,uu: tf.Tensor,bb: tf.Tensor)=>tf.mean(lstmStepOp(xx,ww,uu,bb,null,opts)))([x,W,U,b]); g.forEach(t=>t.dataSync()); });
    console.log('fwd', tf1.toFixed(0), 'fwd+bwd', (performance.now()-t0).toFixed(0));
  }
  const h = tf.randomNormal([B,n]);
  let t0=performance.now();
  for (let i=0;i<64;i++){ const a=tf.tensor2d(new Float32Array(B*n),[B,n]); const p=tf.matMul(a,U); p.dataSync(); a.dispose(); p.dispose(); }
  console.log('64 matmuls', (performance.now()-t0).toFixed(1));
  t0=performance.now();
  for (let i=0;i<64;i++){ const p=tf.matMul(h,U); p.dispose(); }
  console.log('64 matmuls no io', (performance.now()-t0).toFixed(1));
})();
