"""Who may open which IKP page. Data on every page is still cut to the user's region scope.

=============================  =====  ========  ===============  =======  ========  =========  ===  ====
page                           admin  pimpinan  staf_pencegahan  staf_pp  tim_siber  panwascam  pkd  ptps
=============================  =====  ========  ===============  =======  ========  =========  ===  ====
map, region breakdown,           ✓       ✓            ✓             ✓         ✓          ✓       ✓    ✓
ranking, PNG/SVG map
PDF report, Excel of scores,     ✓       ✓            ✓             ✓         –          –       –    –
sensitivity analysis
kejadian list                    ✓       ✓            ✓             ✓         –          ✓       ✓    ✓
kejadian entry, edit, delete     ✓       –            ✓             ✓         –          ✓       ✓    ✓
kejadian Excel import            ✓       –            ✓             ✓         –          ✓       –    –
frameworks: list, detail,        ✓       ✓            ✓             ✓         –          –       –    –
export
frameworks: copy, edit,          ✓       –            –             –         –          –       –    –
publish, import
=============================  =====  ========  ===============  =======  ========  =========  ===  ====

Scores are computed over the whole kabupaten (they are relative), but each user sees and exports
only the regions in their scope. Field supervisors record kejadian only inside their scope (a PKD
for its desa, a PTPS for the desa of its TPS); kader/pemantau have no IKP pages.
"""

from __future__ import annotations

from awas.core.roles import FIELD_ROLES, OFFICE_ROLES, Role

MAP_ROLES = OFFICE_ROLES | FIELD_ROLES
ANALYST_ROLES = frozenset({Role.ADMIN, Role.PIMPINAN, Role.STAF_PENCEGAHAN, Role.STAF_PP})
KEJADIAN_READERS = ANALYST_ROLES | FIELD_ROLES
KEJADIAN_WRITERS = KEJADIAN_READERS - {Role.PIMPINAN}
KEJADIAN_IMPORTERS = frozenset({Role.ADMIN, Role.STAF_PENCEGAHAN, Role.STAF_PP, Role.PANWASCAM})
FRAMEWORK_READERS = ANALYST_ROLES
FRAMEWORK_EDITORS = frozenset({Role.ADMIN})
