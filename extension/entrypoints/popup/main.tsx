import { render } from "preact";
import { PAGE_CSS } from "../../lib/ui/page-styles";
import { Popup } from "../../lib/ui/popup";

const style = document.createElement("style");
style.textContent = PAGE_CSS;
document.head.append(style);
const root = document.getElementById("app");
if (root) render(<Popup />, root);
