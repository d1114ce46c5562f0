import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { applyTheme, readTheme } from './hooks/useTheme';
import './styles.css';
import './skeleton.css';

// The reader's theme (Settings) goes on <html> before the first render; an inline script in
// index.html would do it earlier, but the Content-Security-Policy forbids inline scripts.
applyTheme(readTheme());

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
