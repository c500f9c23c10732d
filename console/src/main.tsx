import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../../renderer/src/styles.css';
import './console.css';
import { App } from './App';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
