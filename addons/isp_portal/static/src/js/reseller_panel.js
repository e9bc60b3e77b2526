/* Copyright 2026 ISP Suite contributors
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
 *
 * Reseller panel, new customer: the packages offered are those of the
 * operator chosen ("Customer of"), and the connection types those of the
 * package chosen. The server renders every operator's packages in a hidden
 * catalog (isp_reseller's rule decided which); this only picks among them,
 * and the server checks the submit again. */
(function () {
    "use strict";

    function setup(form) {
        var operator = form.querySelector("select[name=operator_id]");
        var plan = form.querySelector("select[name=plan_id]");
        var ctype = form.querySelector("select[name=connection_type]");
        var catalog = form.querySelector("select.isp_plan_catalog");
        var none = form.querySelector(".isp_no_plan");

        function updateTypes() {
            var chosen = plan.options[plan.selectedIndex];
            var types = chosen ? (chosen.getAttribute("data-types") || "").split(" ") : [];
            var first = null;
            for (var i = 0; i < ctype.options.length; i++) {
                var allowed = types.indexOf(ctype.options[i].value) >= 0;
                ctype.options[i].disabled = !allowed;
                if (allowed && first === null) {
                    first = i;
                }
            }
            if (ctype.options[ctype.selectedIndex].disabled && first !== null) {
                ctype.selectedIndex = first;
            }
        }

        function updatePlans() {
            var wanted = operator.value;
            while (plan.options.length) {
                plan.remove(0);
            }
            for (var i = 0; i < catalog.options.length; i++) {
                var option = catalog.options[i];
                if (option.getAttribute("data-operator") === wanted) {
                    plan.appendChild(option.cloneNode(true));
                }
            }
            if (none) {
                none.style.display = plan.options.length ? "none" : "";
                none.textContent = operator.options[operator.selectedIndex].text +
                    " has no package yet.";
            }
            updateTypes();
        }

        if (plan && ctype) {
            plan.addEventListener("change", updateTypes);
            updateTypes();
        }
        if (operator && plan && ctype && catalog) {
            operator.addEventListener("change", updatePlans);
        }
    }

    function start() {
        var forms = document.querySelectorAll("form.isp_new_customer_form");
        for (var i = 0; i < forms.length; i++) {
            setup(forms[i]);
        }
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
}());
