/**
 * The works the studies reproduce, with the fields that were checked against a published source only (a journal
 * volume or a DOI that could not be confirmed is left out rather than guessed). Browser-safe.
 */
import type { Figure } from "../figures/figure.js";
import type { Citation } from "./citation.js";

export const BOFFI_DE_GREGORIO_2024: Citation = {
  key: "Boffi & De Gregorio 2024",
  authors: "T. Boffi and P. De Gregorio",
  title: "Variance Resonance in Weakly Coupled Harmonic Oscillators Driven by Thermal Gradients",
  venue: "Entropy 26(12), 1087 (2024)",
  short: "Boffi & De Gregorio, Entropy 26, 1087 (2024)",
  doi: "10.3390/e26121087",
};

export const ECKMANN_ZABEY: Citation = {
  key: "Eckmann & Zabey",
  authors: "J.-P. Eckmann and E. Zabey",
  title: "Strange Heat Flux in (An)Harmonic Networks",
  venue: "J. Stat. Phys.",
  short: "Eckmann & Zabey, J. Stat. Phys., doi:10.1023/B:JOSS.0000003119.91989.48",
  doi: "10.1023/B:JOSS.0000003119.91989.48",
};

export const BUNIN_ET_AL_2013: Citation = {
  key: "Bunin et al. 2013",
  authors: "G. Bunin, Y. Kafri, V. Lecomte, D. Podolsky and A. Polkovnikov",
  title: "Transport-induced correlations in weakly interacting systems",
  venue: "arXiv:1306.1551 (2013)",
  short: "Bunin et al., arXiv:1306.1551 (2013)",
  arxiv: "1306.1551",
};

export const KREKELS_ET_AL_2026: Citation = {
  key: "Krekels et al. 2026",
  authors: "S. Krekels, C. Maes, I. Santra and R. Zhai",
  title: "Negative Differential Heat Conductivity in a Harmonic Chain Coupled to a Particle Reservoir",
  venue: "arXiv:2604.00777 (2026)",
  short: "Krekels et al., arXiv:2604.00777 (2026)",
  arxiv: "2604.00777",
};

export const METZGER_2026: Citation = {
  key: "Metzger 2026",
  authors: "J. Metzger",
  title: "8.808/8.308 IAP 2026 Recitation 5: Entropy production by multiple temperatures",
  venue: "lecture notes, Massachusetts Institute of Technology (2026)",
  short: "J. Metzger, MIT 8.808/8.308 IAP 2026, Recitation 5 (lecture notes, 2026)",
};

export const RIEDER_LEBOWITZ_LIEB_1967: Citation = {
  key: "Rieder, Lebowitz & Lieb 1967",
  authors: "Z. Rieder, J. L. Lebowitz and E. Lieb",
  title: "Properties of a harmonic crystal in a stationary nonequilibrium state",
  venue: "J. Math. Phys. 8, 1073 (1967)",
  short: "Rieder, Lebowitz & Lieb, J. Math. Phys. 8, 1073 (1967)",
};

export const DHAR_2001: Citation = {
  key: "Dhar 2001",
  authors: "A. Dhar",
  // The title was not confirmed in a published source (only journal, volume, page and year): not printed.
  title: "",
  venue: "Phys. Rev. Lett. 86, 5882 (2001)",
  short: "Dhar, Phys. Rev. Lett. 86, 5882 (2001)",
};

export const GROSBERG_JOANNY_2015: Citation = {
  key: "Grosberg & Joanny 2015",
  authors: "A. Y. Grosberg and J.-F. Joanny",
  title: "Nonequilibrium statistical mechanics of mixtures of particles in contact with different thermostats",
  venue: "Phys. Rev. E 92, 032118 (2015)",
  short: "Grosberg & Joanny, Phys. Rev. E 92, 032118 (2015)",
  doi: "10.1103/PhysRevE.92.032118",
};

export const WEBER_WEBER_FREY_2016: Citation = {
  key: "Weber, Weber & Frey 2016",
  authors: "S. N. Weber, C. A. Weber and E. Frey",
  title: "Binary Mixtures of Particles with Different Diffusivities Demix",
  venue: "Phys. Rev. Lett. 116, 058301 (2016)",
  short: "Weber, Weber & Frey, Phys. Rev. Lett. 116, 058301 (2016)",
  arxiv: "1505.00525",
};

/** One line: authors, "title", venue, doi or arXiv id. */
export function formatCitation(c: Citation): string {
  const id = c.doi ? `, doi:${c.doi}` : "";
  return `${c.authors}, ${c.title ? `"${c.title}", ` : ""}${c.venue}${id}`;
}

/**
 * A figure that names its sources in full: figures cite a study's works by key in brackets ("Fig. 1 of
 * [Boffi & De Gregorio 2024]"), which a reader of the PNG cannot resolve. Each cited key loses its brackets and the
 * caption ends with the full references (authors, title, venue, doi). Figures that cite none are returned as they
 * are; applying it twice changes nothing.
 */
export function citeFigure(figure: Figure, citations: readonly Citation[]): Figure {
  const cited = citations.filter((c) => figure.title.includes(`[${c.key}]`) || figure.caption.includes(`[${c.key}]`));
  if (cited.length === 0) return figure;
  const plain = (text: string) => cited.reduce((t, c) => t.split(`[${c.key}]`).join(c.key), text);
  const references = `${cited.length === 1 ? "Reference" : "References"}: ${cited.map(formatCitation).join("; ")}.`;
  const caption = plain(figure.caption).trim();
  return { ...figure, title: plain(figure.title), caption: caption ? `${caption} ${references}` : references };
}

/** A Markdown line for the documentation (DOI and arXiv id as links). */
export function markdownCitation(c: Citation): string {
  const links = [
    c.doi ? `[doi:${c.doi}](https://doi.org/${c.doi})` : "",
    c.arxiv && !c.venue.includes(c.arxiv) ? `[arXiv:${c.arxiv}](https://arxiv.org/abs/${c.arxiv})` : "",
  ]
    .filter(Boolean)
    .join(", ");
  const venue =
    c.arxiv && c.venue.includes(`arXiv:${c.arxiv}`)
      ? c.venue.replace(`arXiv:${c.arxiv}`, `[arXiv:${c.arxiv}](https://arxiv.org/abs/${c.arxiv})`)
      : c.venue;
  return `${c.authors}, ${c.title ? `"${c.title}", ` : ""}${venue}${links ? `, ${links}` : ""}.`;
}
