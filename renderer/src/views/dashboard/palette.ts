// Chart colours per colour scheme, chosen for contrast against each background and for telling the
// event types apart (Okabe–Ito based, which stays distinguishable for common colour blindness).
import type { EventType } from '../../transport/contract';

export interface Palette {
  grid: string;
  axis: string;
  tooltipBg: string;
  tooltipBorder: string;
  text: string;
  types: Record<EventType, string>;
  p50: string;
  p95: string;
  p99: string;
  errors: string;
}

export const PALETTES: Record<'light' | 'dark', Palette> = {
  light: {
    grid: '#e3e5e8',
    axis: '#5b6068',
    tooltipBg: '#ffffff',
    tooltipBorder: '#d3d6db',
    text: '#1d2025',
    types: { app: '#0072b2', feature: '#56b4e9', performance: '#009e73', network: '#8c7ae6', error: '#e69f00', crash: '#d55e00' },
    p50: '#0072b2',
    p95: '#e69f00',
    p99: '#d55e00',
    errors: '#c2410c',
  },
  dark: {
    grid: '#30343b',
    axis: '#a4a9b2',
    tooltipBg: '#22252b',
    tooltipBorder: '#3b3f47',
    text: '#e6e8eb',
    types: { app: '#4ea8ff', feature: '#8fd3ff', performance: '#35c49a', network: '#b3a6ff', error: '#f5b944', crash: '#ff7a45' },
    p50: '#4ea8ff',
    p95: '#f5b944',
    p99: '#ff7a45',
    errors: '#ff8a5c',
  },
};
