/**
 * The site's one inline script (in <head>, so it runs before first paint). Plain ES2017, no dependency,
 * a few hundred bytes minified; the notes need nothing more. It does:
 *
 *  - the theme: the stored choice, else the system's, set on <html> before paint (no light flash); the
 *    toggle (.theme-toggle, a static button: its icon is CSS) switches and remembers it, and a page that
 *    follows the system follows its changes; `themechange` tells the demos' plots to recolour.
 *  - heading links: clicking a heading's "#" also copies the full link to it (for slides) and says so in
 *    the .toast live region; the link still works as a plain anchor. A demo's "Copy link" works the same
 *    before its island has mounted (the static button, [data-static]; the live frame's own button
 *    replaces it and copies the demo's state): the page's address (its query, which holds any demo state
 *    it was opened with) with the demo's anchor.
 *  - a link to a place in a page (#id) still lands there: the notes' parts have `content-visibility:
 *    auto` and a guessed height until they are first drawn, so the parts above the target change height
 *    as the browser draws them; after load, the target is scrolled back to the top each frame until it
 *    stays there (or the page cannot scroll further), for at most 2 s, unless the reader scrolls.
 *  - starting React only when needed, on the pages whose client scripts/islands.mjs made the island client
 *    (components/island-entry.tsx; it names the module in <meta name="adl-scripts">): when a demo (an
 *    island, [data-island]) comes within 600 px of the viewport, once the page's first contentful paint
 *    is done (at most 2 s: a first-screen demo's scripts do not compete with drawing the notes), or at
 *    once when the reader opens search (button, "/" or Ctrl-K / ⌘K: the request is kept in
 *    window.__adlSearchPending and components/Search.tsx opens the dialog once it runs).
 */
export const SITE_SCRIPT = `(function(){
var d=document,h=d.documentElement,w=window;
function sys(){return matchMedia('(prefers-color-scheme: dark)').matches?'dark':'light'}
try{var t=localStorage.getItem('theme');if(t!=='light'&&t!=='dark')t=sys();h.dataset.theme=t}catch(e){h.dataset.theme='light'}
function label(){var n=h.dataset.theme==='dark'?'light':'dark';d.querySelectorAll('.theme-toggle').forEach(function(b){b.setAttribute('aria-label','Switch to '+n+' theme');b.title='Switch to '+n+' theme'})}
function setTheme(t,keep){h.dataset.theme=t;if(keep)try{localStorage.setItem('theme',t)}catch(e){}label();w.dispatchEvent(new Event('themechange'))}
matchMedia('(prefers-color-scheme: dark)').addEventListener('change',function(e){var s=null;try{s=localStorage.getItem('theme')}catch(x){}if(!s)setTheme(e.matches?'dark':'light',false)});
var booted=false;
var painted=new Promise(function(done){try{var po=new PerformanceObserver(function(l){if(l.getEntriesByName('first-contentful-paint').length){po.disconnect();done()}});po.observe({type:'paint',buffered:true})}catch(e){done()}setTimeout(done,2000)});
function boot(){if(booted)return;var m=d.querySelector('meta[name="adl-scripts"]');if(!m)return;booted=true;
m.content.split(' ').forEach(function(src){if(!src)return;var s=d.createElement('script');s.type='module';s.src=src;d.head.appendChild(s)})}
w.__adlBoot=boot;
function wantSearch(e){if(w.__adlSearch)return false;if(e)e.preventDefault();w.__adlSearchPending=true;boot();return true}
function typing(t){if(!t||!t.tagName)return false;if(t.isContentEditable||t.tagName==='TEXTAREA'||t.tagName==='SELECT')return true;return t.tagName==='INPUT'&&['range','checkbox','radio','button','submit','reset'].indexOf(t.type)<0}
d.addEventListener('keydown',function(e){if(e.defaultPrevented||w.__adlSearch||!d.querySelector('.search-button'))return;var k=(e.key||'').toLowerCase();
if((k==='k'&&(e.ctrlKey||e.metaKey)&&!e.altKey&&!e.shiftKey)||(e.key==='/'&&!e.ctrlKey&&!e.metaKey&&!e.altKey&&!typing(e.target)))wantSearch(e)});
var toastTimer;
d.addEventListener('click',function(e){var el=e.target&&e.target.closest?e.target:null;if(!el)return;
if(el.closest('.theme-toggle')){setTheme(h.dataset.theme==='dark'?'light':'dark',true);return}
if(el.closest('.search-button')){wantSearch(e);return}
var c=el.closest('[data-action="copy-link"][data-static]'),f=c&&c.closest('figure[id]');
if(f){copy(new URL('#'+f.id,location.href),'Link to this demo copied');return}
var a=el.closest('a.anchor');if(!a)return;
var u=new URL(a.getAttribute('href')||'',location.href);u.search='';copy(u,'Link to '+u.hash+' copied')});
function copy(u,said){if(navigator.clipboard)navigator.clipboard.writeText(u.toString()).then(function(){var t=d.querySelector('.toast');if(!t)return;t.textContent=said;clearTimeout(toastTimer);toastTimer=setTimeout(function(){t.textContent=''},1800)},function(){})}
function ready(){label();d.querySelectorAll('.search-button').forEach(function(b){b.setAttribute('data-ready','')});
var isl=d.querySelectorAll('[data-island]');if(!isl.length||!('IntersectionObserver' in w)){if(isl.length)boot();return}
var io=new IntersectionObserver(function(es){if(es.some(function(x){return x.isIntersecting})){io.disconnect();painted.then(boot)}},{rootMargin:'600px 0px'});
isl.forEach(function(x){io.observe(x)})}
if(d.readyState==='loading')d.addEventListener('DOMContentLoaded',ready);else ready();
if(location.hash.length>1){var moved=false,still=0,n=0;['wheel','touchmove','keydown'].forEach(function(t){w.addEventListener(t,function(){moved=true},{passive:true,once:true})});
var settle=function(){var t=d.getElementById(decodeURIComponent(location.hash.slice(1)));if(!t||moved||++n>120)return;var y=t.getBoundingClientRect().top;if(Math.abs(y)>2&&w.scrollY+w.innerHeight<h.scrollHeight-2){t.scrollIntoView();still=0}else if(++still>10)return;requestAnimationFrame(settle)};
w.addEventListener('load',function(){requestAnimationFrame(settle)})}
})()`;
