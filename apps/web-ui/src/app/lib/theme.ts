// Light/dark theme: the user's choice (or the system's) as data-theme on <html>; CSS variables do the rest.
export type ThemeChoice = 'light' | 'dark' | 'auto';
const KEY = 'promethium.theme';

export function storedChoice(): ThemeChoice {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'auto';
  } catch {
    return 'auto';
  }
}

function systemDark(): boolean {
  return window.matchMedia('(prefers-color-scheme: dark)').matches;
}

export function applyTheme(choice: ThemeChoice = storedChoice()): 'light' | 'dark' {
  const resolved = choice === 'auto' ? (systemDark() ? 'dark' : 'light') : choice;
  const root = document.documentElement;
  const changed = root.dataset.theme !== resolved;
  root.dataset.theme = resolved;
  root.dataset.themeChoice = choice;
  if (changed) window.dispatchEvent(new Event('themechange'));
  return resolved;
}

export function setTheme(choice: ThemeChoice): void {
  try {
    if (choice === 'auto') localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, choice);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  applyTheme(choice);
}

export function watchSystemTheme(): void {
  window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
    if (storedChoice() === 'auto') applyTheme('auto');
  });
}

const NEXT: Record<ThemeChoice, ThemeChoice> = { auto: 'light', light: 'dark', dark: 'auto' };
export function nextChoice(c: ThemeChoice): ThemeChoice {
  return NEXT[c];
}
