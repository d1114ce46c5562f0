import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import './styles.css';
import './skeleton.css';

// The reader's theme (Settings) is on <html> already: index.html's one inline script puts it
// there before the first paint (the Content-Security-Policy allows that script by its hash).

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
