import { render } from "preact";
import { OptionsPage } from "../../lib/ui/options-page";
import { PAGE_CSS } from "../../lib/ui/page-styles";

const style = document.createElement("style");
style.textContent = PAGE_CSS;
document.head.append(style);
const root = document.getElementById("app");
if (root) render(<OptionsPage />, root);
