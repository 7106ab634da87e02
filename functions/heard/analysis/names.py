"""Given names and surnames common among the residents Heard serves (US English and Spanish),
for telling a person's name from other capitalised words. Folded (lowercase, no accents).

Parsed on first use and cached. Names that are also everyday words ("Will", "Rose", "Cruz",
"Dolores", "Angel") are listed apart: they count as names only after a cue ("my son Angel",
"Mrs. Rose").
"""

from functools import cache

_GIVEN = """
aaliyah aaron abdi abigail adam adrian adriana agustin ahmed aidan aisha alan alberto alejandra
alejandro alex alexa alexander alexis alfonso alfredo ali alicia alondra alyssa amanda amy ana
andre andrea andres andrew angela angelica anna anthony antonio ariana armando arturo ashley
austin barbara beatriz benjamin bianca bob brandon brayan brenda brian brianna brittany bryan
camila carla carlos carmen carol carolina cassandra catalina cecilia cesar charles chris
christian christina christopher chuy cindy claudia consuelo cristian cristina cynthia dale
dana daniel daniela danielle darnell david deborah denise derek deshawn destiny devon diana
diego dolly donald donna dorothy dylan eddie eduardo edgar edward elena elijah elizabeth ellen
emily emiliano emma enrique eric erica erik ernesto esmeralda esperanza esteban ethan eugenio
evelyn fabiola fatima felipe fernanda fernando francisco gabriel gabriela gary george gerardo
gilberto gloria graciela greg gregory guillermo gustavo hector henry hugo ignacio irene isaac
isabel isabella ismael israel ivan jacob jake jamal james jamie jasmine jason javier jayden
jeff jeffrey jennifer jeremy jerry jesse jessica jimena jimmy joanna joe joel john johnny
jonathan jorge jose josefina joseph joshua juan juana julia julian julio justin karen karla
katherine kathy keisha keith kelly kenneth kevin kimberly kyle lalo laura lauren leonardo
leticia linda lisa lorena lourdes lucia luis luisa lupe lupita magdalena malik manuel marco
marcos marcus margarita maria mariana mario marisa marisol martha martin mary mateo matthew
mauricio megan melissa mia michael micaela miguel mike monica nancy natalia nathan nicole noah
norma octavio olivia omar oscar pablo patricia patrick paul paula pedro peter priya rachel
rafael ramiro ramon raquel ray raul rebecca ricardo richard rick rico roberto robert rodrigo
rogelio ronald rosario ruben ryan salvador samantha samuel sandra sara sarah sebastian sergio
silvia sofia sophia stephanie steve steven susan tamara teresa thomas timothy tom tony tyler
tyrone valeria vanessa veronica vicente victor victoria vince walter william xavier ximena
yesenia yolanda yvonne zoe alma ofelia elvira estela gonzalo ramona leticia brianna kayla
"""
# Given names that are also words, months or places: names only after a cue.
_AMBIGUOUS = """
will mark rose grace hope joy faith bill pat art dawn april may june august summer amber ruby
crystal daisy lily holly ivy jack chase hunter drew rich sue guy frank angel dolores rosa cruz
sol luz paz mercedes jesus guadalupe reyes santos dean king sunny penny destiny trinity
victoria florence austin jordan lincoln washington jackson madison carter lee young price
"""
_SURNAMES = """
smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez
gonzalez wilson anderson thomas taylor moore jackson martin lee perez thompson white harris
sanchez clark ramirez lewis robinson walker hall allen torres nguyen hill flores green adams
nelson baker rivera campbell mitchell carter roberts gomez phillips evans turner diaz parker
cruz edwards collins reyes stewart morris morales murphy cook rogers gutierrez ortiz morgan
cooper peterson bailey reed kelly howard ramos kim cox ward richardson watson brooks chavez
wood james bennett gray mendoza ruiz hughes price alvarez castillo sanders patel myers long
ross foster jimenez powell jenkins perry russell sullivan bell coleman butler henderson barnes
fisher vasquez simmons romero jordan patterson alexander hamilton graham reynolds griffin
wallace moreno west cole hayes bryant herrera gibson ellis tran medina aguilar stevens murray
ford castro marshall owens harrison fernandez mcdonald woods washington kennedy wells vargas
henry chen freeman webb tucker guzman burns crawford olson simpson porter hunter gordon mendez
silva shaw snyder mason dixon munoz hunt hicks holmes palmer wagner black robertson boyd rose
stone salazar fox warren mills meyer rice schmidt garza daniels ferguson nichols stephens soto
weaver ryan gardner payne grant dunn kelley spencer hawkins arnold pierce vazquez hansen peters
santos hart bradley knight elliott cunningham duncan armstrong hudson carroll lane riley
andrews alvarado ray delgado berry perkins hoffman johnston matthews pena richards contreras
willis carpenter lawrence sandoval guerrero george chapman rios estrada ortega watkins
greene nunez wheeler valdez harper burke larson santiago maldonado morrison franklin carlson
austin dominguez carr lawson jacobs obrien lynch singh vega bishop montgomery oliver jensen
harvey williamson gilbert dean sims espinoza howell li wong reid hanson le mccoy garrett
burton fuller wang weber welch rojas lucero medrano salinas solis camacho ibarra campos rios
navarro pacheco cervantes cardenas zamora trujillo salgado luna nunez velasquez fuentes
sosa acosta figueroa rosales marquez benitez miranda juarez mejia ochoa serrano leon carrillo
moran
"""


@cache
def given_names() -> frozenset[str]:
    return frozenset(_GIVEN.split())


@cache
def ambiguous_given_names() -> frozenset[str]:
    return frozenset(_AMBIGUOUS.split())


@cache
def surnames() -> frozenset[str]:
    return frozenset(_SURNAMES.split())
