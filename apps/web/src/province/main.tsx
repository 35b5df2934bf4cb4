import '@fontsource/be-vietnam-pro/400.css';
import '@fontsource/be-vietnam-pro/600.css';
import '@fontsource/be-vietnam-pro/800.css';
import '../styles.css';
import './province.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Province } from './Province';

// The province server's pages (issue 19): a second entry of the web build, served by the
// province server alone; the hub never serves province.html.
document.title = 'Tổng hợp các xã · xephang';
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Province />
  </StrictMode>,
);
