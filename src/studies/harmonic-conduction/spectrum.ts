/**
 * The transmission spectrum T_bc(omega) of a network's baths as data: the full table (every sampled frequency, one
 * column per pair of baths) and an envelope for plotting (the smallest and largest value in each of ~1500 frequency
 * bins, so that every narrow peak stays visible in a figure of a few thousand points).
 */
import type { TransmissionSteadyState } from "../../exact/transmission.js";
import type { Table } from "../../figures/figure.js";

export interface SpectrumSeries {
  /** "T(a, b)": the pair of bath sites. */
  name: string;
  omega: number[];
  transmission: number[];
}

/** Column name of a pair of baths (by site name). */
function pairName(ss: TransmissionSteadyState, b: number, c: number): string {
  return `T(${ss.baths[b].site}, ${ss.baths[c].site})`;
}

/** Every sample: omega, then T of each pair of baths. */
export function spectrumTable(ss: TransmissionSteadyState): Table {
  const sp = ss.spectrum;
  if (!sp) return { columns: ["omega"], rows: [] };
  return {
    columns: ["omega", ...sp.pairs.map(([b, c]) => pairName(ss, b, c))],
    rows: Array.from(sp.omega, (w, m) => [w, ...sp.transmission.map((t) => t[m])]),
  };
}

/** The envelope of every pair's spectrum over `bins` equal frequency bins (min and max of each bin, in order). */
export function spectrumEnvelope(ss: TransmissionSteadyState, bins = 1500): SpectrumSeries[] {
  const sp = ss.spectrum;
  if (!sp || sp.omega.length === 0) return [];
  const w = sp.omega;
  const lo = w[0];
  const hi = w[w.length - 1];
  const width = (hi - lo) / bins || 1;
  return sp.pairs.map(([b, c], k) => {
    const t = sp.transmission[k];
    const omega: number[] = [];
    const transmission: number[] = [];
    let m = 0;
    while (m < w.length) {
      const bin = Math.min(bins - 1, Math.floor((w[m] - lo) / width));
      let iMin = m;
      let iMax = m;
      let j = m;
      while (j < w.length && Math.min(bins - 1, Math.floor((w[j] - lo) / width)) === bin) {
        if (t[j] < t[iMin]) iMin = j;
        if (t[j] > t[iMax]) iMax = j;
        j++;
      }
      for (const i of iMin === iMax ? [iMin] : iMin < iMax ? [iMin, iMax] : [iMax, iMin]) {
        omega.push(w[i]);
        transmission.push(t[i]);
      }
      m = j;
    }
    return { name: pairName(ss, b, c), omega, transmission };
  });
}
